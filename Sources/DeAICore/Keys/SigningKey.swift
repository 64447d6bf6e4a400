// DeAICore: an Ed25519 private key.

internal import Crypto
public import Foundation

/// An Ed25519 (RFC 8032) private key that signs transactions, votes and handshakes.
///
/// The raw representation is the 32-byte seed of RFC 8032. Keep it secret: `SigningKey` deliberately does
/// not conform to `CustomStringConvertible`, `Codable` or `Hashable`, so it is not printed or serialized by
/// accident.
public struct SigningKey: Sendable {
    private let key: Curve25519.Signing.PrivateKey

    /// Creates a new random key from the system's secure random number generator.
    public init() {
        self.key = Curve25519.Signing.PrivateKey()
    }

    /// Creates a key from its 32-byte seed.
    ///
    /// - Throws: `.invalidKey` when `rawRepresentation` is not 32 bytes.
    public init(rawRepresentation: some Collection<UInt8>) throws(CodecError) {
        guard rawRepresentation.count == 32 else {
            throw .invalidKey(reason: "an Ed25519 private key is 32 bytes, got \(rawRepresentation.count)")
        }
        do {
            self.key = try Curve25519.Signing.PrivateKey(rawRepresentation: Array(rawRepresentation))
        } catch {
            throw .invalidKey(reason: "swift-crypto rejected the private key: \(error)")
        }
    }

    /// The 32-byte seed.
    public var rawRepresentation: [UInt8] {
        Array(self.key.rawRepresentation)
    }

    /// The public key that verifies this key's signatures.
    public var verifyingKey: VerifyingKey {
        VerifyingKey(self.key.publicKey)
    }

    /// Signs `message` with Ed25519.
    ///
    /// On Linux (BoringSSL) signatures are deterministic as in RFC 8032; Apple's CryptoKit adds randomness.
    /// Both verify the same way.
    ///
    /// - Throws: The error swift-crypto reports if signing fails.
    public func signature(for message: some DataProtocol) throws -> Signature {
        let bytes = try self.key.signature(for: message)
        return try Signature(rawRepresentation: Array(bytes))
    }
}
