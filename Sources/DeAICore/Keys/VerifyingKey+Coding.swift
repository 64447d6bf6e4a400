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

extension VerifyingKey: Codable {
    /// Decodes a key from 64 hex digits.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        do {
            try self.init(rawRepresentation: try [UInt8](hexString: string))
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid public key: \(error)")
        }
    }

    /// Encodes the key as 64 lowercase hex digits.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.description)
    }
}
