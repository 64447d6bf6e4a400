// DeAICore: VerifyingKey in the canonical encoding and in JSON.

extension VerifyingKey: CanonicalCodable {
    /// Writes the 32 raw bytes, with no length prefix.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(fixedBytes: self.rawRepresentation)
    }

    /// Reads 32 raw bytes.
    ///
    /// - Throws: `.unexpectedEnd`, or `.invalidKey` when swift-crypto rejects the bytes.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        try self.init(rawRepresentation: try decoder.decodeFixedBytes(count: 32))
    }
}

extension VerifyingKey: HexCodable {
    /// Keys travel in JSON as 64 lowercase hex digits.
    public static var hexCodingName: String { "public key" }
}
