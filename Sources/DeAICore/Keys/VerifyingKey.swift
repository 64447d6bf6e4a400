// DeAICore: an Ed25519 public key.

internal import Crypto
public import Foundation

/// An Ed25519 (RFC 8032) public key: it identifies an account or validator and verifies its signatures.
///
/// Equality, hashing and the canonical encoding use the 32 raw bytes. `Codable` and `description` use
/// lowercase hex. The account address derived from the key is `address`.
public struct VerifyingKey: Sendable {
    private let key: Curve25519.Signing.PublicKey
    private let raw: SHA256Digest  // the 32 raw key bytes, stored inline for fast equality and hashing

    init(_ key: Curve25519.Signing.PublicKey) {
        self.key = key
        self.raw = SHA256Digest(loadingFromRaw: key.rawRepresentation)
    }

    /// Creates a key from its 32 raw bytes.
    ///
    /// - Throws: `.invalidKey` when the bytes are not 32 or swift-crypto rejects them.
    public init(rawRepresentation: some Collection<UInt8>) throws(CodecError) {
        guard rawRepresentation.count == 32 else {
            throw .invalidKey(reason: "an Ed25519 public key is 32 bytes, got \(rawRepresentation.count)")
        }
        do {
            self.init(try Curve25519.Signing.PublicKey(rawRepresentation: Array(rawRepresentation)))
        } catch {
            throw .invalidKey(reason: "swift-crypto rejected the public key: \(error)")
        }
    }

    /// The 32 raw bytes of the key.
    public var rawRepresentation: [UInt8] {
        self.raw.bytes
    }

    /// Whether `signature` is a valid Ed25519 signature of `message` by this key.
    ///
    /// Returns `false`, never traps, for any signature that does not verify, including malformed ones.
    public func isValidSignature(_ signature: Signature, for message: some DataProtocol) -> Bool {
        self.key.isValidSignature(signature.rawRepresentation, for: message)
    }

    /// The account address of this key: the first 20 bytes of SHA-256 of the raw key.
    public var address: Address {
        Address(publicKey: self)
    }
}

// MARK: - Hashable

extension VerifyingKey: Hashable {
    /// Keys are equal when their raw bytes are.
    public static func == (lhs: VerifyingKey, rhs: VerifyingKey) -> Bool {
        lhs.raw == rhs.raw
    }

    /// Hashes the raw bytes.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.raw)
    }
}

// MARK: - CustomStringConvertible

extension VerifyingKey: CustomStringConvertible {
    /// The key as 64 lowercase hex digits.
    public var description: String {
        self.raw.hexString
    }
}

// MARK: - Raw bytes

extension SHA256Digest {
    /// Holds 32 arbitrary bytes (not a hash) in the digest's inline storage.
    fileprivate init(loadingFromRaw data: Data) {
        self = data.withUnsafeBytes { SHA256Digest(loadingFrom: $0) }
    }
}
