// A node's TLS certificate proves its node key; one that was tampered with, expired or made by another key does not.

import Crypto
import DeAICore
import DeAITesting
import Foundation
import NIOSSL
import P2P
import SwiftASN1
import Testing
import X509

@Suite("Peer certificate")
struct PeerCertificateTests {
    static let nodeKey = TestKeys.signingKey(500)

    @Test("a node's certificate proves its node key")
    func provesNodeKey() throws {
        let identity = try PeerCertificate.make(nodeKey: Self.nodeKey)
        #expect(try PeerCertificate.verify([identity.certificate]) == Self.nodeKey.verifyingKey)
    }

    @Test("no certificate, two certificates, or one outside its validity prove nothing")
    func countAndValidity() throws {
        let identity = try PeerCertificate.make(nodeKey: Self.nodeKey)
        #expect(throws: PeerAuthenticationError.certificateCount(0)) { try PeerCertificate.verify([]) }
        #expect(throws: PeerAuthenticationError.certificateCount(2)) {
            try PeerCertificate.verify([identity.certificate, identity.certificate])
        }
        #expect(throws: PeerAuthenticationError.self) {
            try PeerCertificate.verify([identity.certificate], now: Date() + 2 * 365 * 86_400)
        }
    }

    @Test("a certificate whose node-key signature was altered proves nothing")
    func altered() throws {
        let identity = try PeerCertificate.make(nodeKey: Self.nodeKey)
        var der = try identity.certificate.toDERBytes()
        // The node key's signature follows the node key in the extension: flip one of its bytes.
        let signatureStart = try #require(Self.range(of: Self.nodeKey.verifyingKey.rawRepresentation, in: der)).upperBound
        der[signatureStart + 3] ^= 0x01
        let altered = try NIOSSLCertificate(bytes: der, format: .der)
        #expect(throws: PeerAuthenticationError.self) { try PeerCertificate.verify([altered]) }
    }

    @Test("a node-key extension copied onto a certificate for another TLS key proves nothing")
    func copiedExtension() throws {
        let identity = try PeerCertificate.make(nodeKey: Self.nodeKey)
        let original = try Certificate(derEncoded: try identity.certificate.toDERBytes())
        let copied = try Self.selfSigned(extensions: Array(original.extensions))
        #expect(throws: PeerAuthenticationError.invalidNodeSignature) { try PeerCertificate.verify([copied]) }
    }

    @Test("a certificate with a critical extension this node does not know proves nothing")
    func unknownCriticalExtension() throws {
        let identity = try PeerCertificate.make(nodeKey: Self.nodeKey)
        let original = try Certificate(derEncoded: try identity.certificate.toDERBytes())
        let unknown = Certificate.Extension(oid: [1, 3, 6, 1, 4, 1, 99999, 1], critical: true, value: [0x05, 0x00])
        let certificate = try Self.selfSigned(extensions: Array(original.extensions) + [unknown])
        #expect(throws: PeerAuthenticationError.missingNodeKey) { try PeerCertificate.verify([certificate]) }
    }

    /// A certificate for a fresh P-256 key, self-signed, with `extensions`.
    private static func selfSigned(extensions: [Certificate.Extension]) throws -> NIOSSLCertificate {
        let key = P256.Signing.PrivateKey()
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now - 60, notValidAfter: now + 3_600, issuer: DistinguishedName(), subject: DistinguishedName(),
            signatureAlgorithm: .ecdsaWithSHA256, extensions: try Certificate.Extensions(extensions),
            issuerPrivateKey: Certificate.PrivateKey(key))
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der)
    }

    private static func range(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where Array(haystack[start..<start + needle.count]) == needle {
            return start..<start + needle.count
        }
        return nil
    }
}
