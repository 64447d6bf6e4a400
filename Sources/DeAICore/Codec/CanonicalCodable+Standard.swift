// DeAICore: canonical encodings of the standard library types that have exactly one.

extension UInt64: CanonicalCodable {
    /// Writes the value as a minimal varint.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self)
    }

    /// Reads a minimal varint.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self = try decoder.decodeUInt64()
    }
}

extension UInt32: CanonicalCodable {
    /// Writes the value as a minimal varint.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self)
    }

    /// Reads a minimal varint that fits 32 bits.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self = try decoder.decodeUInt32()
    }
}

extension UInt16: CanonicalCodable {
    /// Writes the value as a minimal varint.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self)
    }

    /// Reads a minimal varint that fits 16 bits.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self = try decoder.decodeUInt16()
    }
}

extension Bool: CanonicalCodable {
    /// Writes one byte, 0 or 1.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self)
    }

    /// Reads one byte that must be 0 or 1.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self = try decoder.decodeBool()
    }
}

extension String: CanonicalCodable {
    /// Writes the UTF-8 bytes prefixed with their count.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self)
    }

    /// Reads a length-prefixed UTF-8 string within `limits.maxFieldBytes`.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self = try decoder.decodeString()
    }
}

extension Int64: CanonicalCodable {
    /// Writes the value zigzag-mapped (0, −1, 1, −2, … → 0, 1, 2, 3, …) as a minimal varint, so that small
    /// magnitudes of either sign stay short.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(UInt64(bitPattern: (self << 1) ^ (self >> 63)))
    }

    /// Reads a zigzag-mapped minimal varint.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let raw = try decoder.decodeUInt64()
        self = Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }
}
