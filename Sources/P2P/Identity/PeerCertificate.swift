// PeerCertificate: a TLS certificate that proves a node key, and its verification.

import Crypto
public import DeAICore
public import Foundation
public import NIOSSL
import SwiftASN1
import X509

/// The TLS identity of a node (docs/adr/0001-peer-transport.md, after libp2p's TLS handshake): a self-signed
/// certificate for a fresh P-256 key, carrying the node key's signature of that key. A peer that verifies it knows
/// the node key it talks to; nothing about the certificate is trusted otherwise.
///
/// ```swift
/// let identity = try PeerCertificate.make(nodeKey: nodeKey)
/// let peer = try PeerCertificate.verify([certificate])   // the peer's node key
/// ```
public enum PeerCertificate {
    /// The extension's object identifier: libp2p's, `1.3.6.1.4.1.53594.1.1`.
    static let extensionOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 53594, 1, 1]
    /// What the node key signs, in front of the certificate's SubjectPublicKeyInfo.
    static let signedPrefix = Array("libp2p-tls-handshake:".utf8)
    /// libp2p's encoding of an Ed25519 public key: a protobuf `PublicKey { Type: Ed25519, Data: 32 bytes }`.
    static let ed25519KeyPrefix: [UInt8] = [0x08, 0x01, 0x12, 0x20]

    /// A certificate and its private key, as TLS presents them.
    public struct Identity: Sendable {
        /// The self-signed certificate.
        public let certificate: NIOSSLCertificate
        /// The certificate's private key (not the node key).
        public let privateKey: NIOSSLPrivateKey
    }

    /// A fresh identity for `nodeKey`, valid from an hour before `now` (clocks drift) to a year after.
    /// - Throws: an error of swift-certificates or NIOSSL, which a valid key does not cause.
    public static func make(nodeKey: SigningKey, now: Date = Date()) throws -> Identity {
        let tlsKey = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(tlsKey.publicKey)
        let signature = try nodeKey.signature(for: Self.signedPrefix + (try derEncoding(publicKey)))
        let signedKey = SignedKey(
            publicKey: ArraySlice(Self.ed25519KeyPrefix + nodeKey.verifyingKey.rawRepresentation),
            signature: ArraySlice(signature.rawRepresentation))
        let nodeKeyExtension = Certificate.Extension(
            oid: Self.extensionOID, critical: true, value: ArraySlice(try derEncoding(signedKey)))
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: now - 3_600, notValidAfter: now + 365 * 86_400, issuer: DistinguishedName(),
            subject: DistinguishedName(), signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions { nodeKeyExtension }, issuerPrivateKey: Certificate.PrivateKey(tlsKey))
        return Identity(
            certificate: try NIOSSLCertificate(bytes: try derEncoding(certificate), format: .der),
            privateKey: try NIOSSLPrivateKey(bytes: Array(tlsKey.derRepresentation), format: .der))
    }

    /// The node key that `chain`, a peer's certificates, proves: exactly one certificate, within its validity at
    /// `now`, self-signed with ECDSA, with no unknown critical extension, whose node-key extension holds an Ed25519
    /// key that signed the certificate's exact SubjectPublicKeyInfo.
    /// - Throws: ``PeerAuthenticationError`` saying what does not hold.
    public static func verify(_ chain: [NIOSSLCertificate], now: Date = Date()) throws(PeerAuthenticationError) -> VerifyingKey {
        guard chain.count == 1 else { throw .certificateCount(chain.count) }
        let certificate: Certificate
        do {
            certificate = try Certificate(derEncoded: try chain[0].toDERBytes())
        } catch {
            throw .invalidCertificate(reason: "it does not parse (\(error))")
        }
        guard certificate.notValidBefore <= now, now <= certificate.notValidAfter else {
            throw .invalidCertificate(reason: "it is valid from \(certificate.notValidBefore) to \(certificate.notValidAfter)")
        }
        guard [.ecdsaWithSHA256, .ecdsaWithSHA384].contains(certificate.signatureAlgorithm),
            certificate.publicKey.isValidSignature(certificate.signature, for: certificate)
        else { throw .invalidCertificate(reason: "it is not self-signed with ECDSA") }
        var signedKey: SignedKey?
        for certificateExtension in certificate.extensions {
            if certificateExtension.oid == Self.extensionOID {
                signedKey = try? SignedKey(derEncoded: certificateExtension.value)
            } else if certificateExtension.critical {
                throw .missingNodeKey
            }
        }
        guard let signedKey else { throw .missingNodeKey }
        guard signedKey.publicKey.count == 36, signedKey.publicKey.starts(with: Self.ed25519KeyPrefix),
            let nodeKey = try? VerifyingKey(rawRepresentation: signedKey.publicKey.dropFirst(4)),
            let signature = try? Signature(rawRepresentation: signedKey.signature),
            let subjectPublicKeyInfo = try? Self.subjectPublicKeyInfo(ofTBSCertificate: certificate.tbsCertificateBytes),
            nodeKey.isValidSignature(signature, for: Self.signedPrefix + subjectPublicKeyInfo)
        else { throw .invalidNodeSignature }
        return nodeKey
    }

    /// The exact DER bytes of the SubjectPublicKeyInfo in a TBSCertificate: its seventh field, or sixth without
    /// the optional version.
    private static func subjectPublicKeyInfo(ofTBSCertificate bytes: ArraySlice<UInt8>) throws -> ArraySlice<UInt8> {
        guard case .constructed(let fields) = try DER.parse(bytes).content else {
            throw PeerAuthenticationError.invalidNodeSignature
        }
        var remaining = Array(fields)
        if remaining.first?.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
            remaining.removeFirst()
        }
        // serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
        guard remaining.count > 5, remaining[5].identifier == .sequence else {
            throw PeerAuthenticationError.invalidNodeSignature
        }
        return remaining[5].encodedBytes
    }
}
