// DeAICore: SHA256Digest in the canonical encoding and in JSON.

extension SHA256Digest: CanonicalCodable {
    /// Writes the 32 raw bytes, with no length prefix.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.appendBigEndian(self.word0)
        encoder.appendBigEndian(self.word1)
        encoder.appendBigEndian(self.word2)
        encoder.appendBigEndian(self.word3)
    }

    /// Reads 32 raw bytes.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        try decoder.require(Self.byteCount)
        self.init(
            words: (
                try decoder.decodeBigEndianUInt64(),
                try decoder.decodeBigEndianUInt64(),
                try decoder.decodeBigEndianUInt64(),
                try decoder.decodeBigEndianUInt64()
            )
        )
    }
}

extension SHA256Digest: Codable {
    /// Decodes a digest from a string of 64 hex digits.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        do {
            try self.init(hexString: string)
        } catch {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "invalid SHA-256 digest: \(error)"
            )
        }
    }

    /// Encodes the digest as 64 lowercase hex digits.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.hexString)
    }
}
