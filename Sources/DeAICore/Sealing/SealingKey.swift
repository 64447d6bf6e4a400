// DeAICore: the X25519 key pair an evaluator receives sealed updates with.

internal import Crypto

/// The public half of an evaluator's sealing key: trainers seal their updates to it (``SealedBlob``).
///
/// 32 raw X25519 bytes; the canonical encoding writes them without a length prefix, JSON as lowercase hex.
public struct SealingPublicKey: Sendable, Hashable, Comparable, HexCodable, CustomStringConvertible {
    /// The 32 raw bytes.
    public let rawRepresentation: [UInt8]

    /// Creates a key from its 32 raw bytes.
    /// - Throws: `.invalidKey` when the bytes are not 32 or swift-crypto rejects them.
    public init(rawRepresentation: some Collection<UInt8>) throws(CodecError) {
        guard rawRepresentation.count == 32 else {
            throw .invalidKey(reason: "an X25519 public key is 32 bytes, got \(rawRepresentation.count)")
        }
        let key: Curve25519.KeyAgreement.PublicKey
        do {
            key = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: Array(rawRepresentation))
        } catch {
            throw .invalidKey(reason: "swift-crypto rejected the X25519 public key: \(error)")
        }
        // A point of small order (on the curve or its twist) makes every shared secret zero, readable by anyone
        // (RFC 7748 §6.1, RFC 9180 §7.1.4). Any clamped scalar times such a point is zero, whatever the library.
        let probe = SealingKey.privateKey([UInt8](repeating: 0x5a, count: 32))
        let secret = try? probe.sharedSecretFromKeyAgreement(with: key).withUnsafeBytes { Array($0) }
        guard let secret, secret.contains(where: { $0 != 0 }) else {
            throw .invalidKey(reason: "the X25519 public key is a point of small order")
        }
        self.rawRepresentation = Array(rawRepresentation)
    }

    /// The key swift-crypto made: always 32 valid bytes.
    init(_ key: Curve25519.KeyAgreement.PublicKey) {
        self.rawRepresentation = Array(key.rawRepresentation)
    }

    public static var hexCodingName: String { "sealing key" }

    public static func < (lhs: SealingPublicKey, rhs: SealingPublicKey) -> Bool {
        lhs.rawRepresentation.lexicographicallyPrecedes(rhs.rawRepresentation)
    }

    public var description: String { self.rawRepresentation.hexString }
}

extension SealingPublicKey: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(fixedBytes: self.rawRepresentation)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        try self.init(rawRepresentation: try decoder.decodeFixedBytes(count: 32))
    }
}

extension SigningKey {
    /// The sealing key of this signing key's owner (``SealingKey/init(deriving:)`` of its seed): what an evaluator
    /// registers when it joins a task and opens sealed updates with.
    public var sealingKey: SealingKey { SealingKey(deriving: self.rawRepresentation) }
}

/// An evaluator's X25519 private sealing key, derived from a secret it already keeps (its signing key's seed), so
/// that the same key comes back after a restart and nothing new must be stored.
public struct SealingKey: Sendable {
    let key: Curve25519.KeyAgreement.PrivateKey

    /// The sealing key derived from `secret` (HKDF-SHA256, info `deai/sealing-key`).
    public init(deriving secret: [UInt8]) {
        let bytes = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: secret), info: Array("deai/sealing-key".utf8), outputByteCount: 32)
        self.key = Self.privateKey(bytes.withUnsafeBytes { Array($0) })
    }

    /// A key from its 32 raw bytes.
    /// - Throws: `.invalidKey` when they are not 32.
    public init(rawRepresentation: [UInt8]) throws(CodecError) {
        do {
            self.key = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: rawRepresentation)
        } catch {
            throw .invalidKey(reason: "an X25519 private key is 32 bytes, got \(rawRepresentation.count)")
        }
    }

    /// The public key trainers seal to.
    public var publicKey: SealingPublicKey {
        SealingPublicKey(self.key.publicKey)
    }

    /// The X25519 private key of 32 derived bytes: any 32 bytes are one (the scalar is clamped when used).
    static func privateKey(_ bytes: [UInt8]) -> Curve25519.KeyAgreement.PrivateKey {
        do {
            return try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: bytes)
        } catch {
            fatalError("internal inconsistency in SealingKey: 32 derived bytes are not an X25519 key: \(error)")
        }
    }
}
