// SignedKey: the certificate extension that binds a TLS key to a node key.

import SwiftASN1

/// `SignedKey ::= SEQUENCE { publicKey OCTET STRING, signature OCTET STRING }`: the node's public key, and its
/// signature of the certificate's key (libp2p's TLS handshake, `tls/tls.md` of libp2p/specs).
struct SignedKey: DERImplicitlyTaggable, Hashable, Sendable {
    static var defaultIdentifier: ASN1Identifier { .sequence }

    /// The node's public key, in libp2p's encoding (``PeerCertificate/encodedNodeKey(_:)``).
    var publicKey: ArraySlice<UInt8>
    /// The node key's signature of ``PeerCertificate/signedPrefix`` followed by the certificate's
    /// SubjectPublicKeyInfo.
    var signature: ArraySlice<UInt8>

    init(publicKey: ArraySlice<UInt8>, signature: ArraySlice<UInt8>) {
        self.publicKey = publicKey
        self.signature = signature
    }

    init(derEncoded root: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(root, identifier: identifier) { nodes in
            let publicKey = try ASN1OctetString(derEncoded: &nodes)
            let signature = try ASN1OctetString(derEncoded: &nodes)
            return SignedKey(publicKey: publicKey.bytes, signature: signature.bytes)
        }
    }

    func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(ASN1OctetString(contentBytes: self.publicKey))
            try coder.serialize(ASN1OctetString(contentBytes: self.signature))
        }
    }
}

/// The DER encoding of `value`.
func derEncoding(_ value: some DERSerializable) throws -> [UInt8] {
    var serializer = DER.Serializer()
    try serializer.serialize(value)
    return serializer.serializedBytes
}
