// DeAICore: an Ed25519 signature.

/// A 64-byte Ed25519 signature.
///
/// Construction only checks the length; whether the signature is valid is `VerifyingKey.isValidSignature`'s
/// question. The canonical encoding is the 64 raw bytes; `Codable` uses lowercase hex.
public struct Signature: Sendable, Hashable {
    /// The number of bytes in a signature.
    public static let byteCount = 64

    /// The 64 raw bytes (R ‖ S in RFC 8032 terms).
    public let rawRepresentation: [UInt8]

    /// Creates a signature from exactly 64 bytes.
    ///
    /// - Throws: `.invalidLength` for any other length.
    public init(rawRepresentation: some Collection<UInt8>) throws(CodecError) {
        guard rawRepresentation.count == Self.byteCount else {
            throw .invalidLength(expected: Self.byteCount, actual: rawRepresentation.count)
        }
        self.rawRepresentation = Array(rawRepresentation)
    }
}

// MARK: - CustomStringConvertible

extension Signature: CustomStringConvertible {
    /// The signature as 128 lowercase hex digits.
    public var description: String {
        self.rawRepresentation.hexString
    }
}

// MARK: - CanonicalCodable

extension Signature: CanonicalCodable {
    /// Writes the 64 raw bytes, with no length prefix.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(fixedBytes: self.rawRepresentation)
    }

    /// Reads 64 raw bytes.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        try self.init(rawRepresentation: try decoder.decodeFixedBytes(count: Self.byteCount))
    }
}

// MARK: - Codable

extension Signature: HexCodable {
    /// Signatures travel in JSON as 128 lowercase hex digits.
    public static var hexCodingName: String { "signature" }
}
