// DeAICore: reads values from the canonical binary encoding, strictly.

/// Reads values from DeAI's canonical binary encoding (see `CanonicalEncoder` for the rules).
///
/// The decoder accepts exactly the bytes the encoder produces and nothing else: non-minimal varints,
/// booleans other than 0/1, invalid UTF-8, lengths beyond the limits and truncated input all throw a
/// `CodecError` that names the offset. Lengths and counts are checked against the limits and against the
/// remaining input before anything is allocated, so a hostile length prefix cannot exhaust memory.
public struct CanonicalDecoder {
    /// The whole input.
    private let input: [UInt8]

    /// The limits used when a call gives no explicit maximum.
    public let limits: CodecLimits

    /// The offset of the next byte to read.
    public private(set) var offset: Int

    /// Creates a decoder over `bytes`, starting at offset 0.
    public init(bytes: [UInt8], limits: CodecLimits = .default) {
        self.input = bytes
        self.limits = limits
        self.offset = 0
    }

    /// Whether every byte has been read.
    public var isAtEnd: Bool {
        self.offset >= self.input.count
    }

    /// The number of bytes not read yet.
    public var remainingCount: Int {
        self.input.count - self.offset
    }

    /// Checks that the input has been read completely.
    ///
    /// - Throws: `.trailingBytes` when bytes remain.
    public func finish() throws(CodecError) {
        guard self.isAtEnd else {
            throw .trailingBytes(offset: self.offset, count: self.remainingCount)
        }
    }

    // MARK: Integers

    /// Reads a minimal unsigned LEB128 varint.
    ///
    /// - Throws: `.unexpectedEnd` when the input stops inside the varint, `.nonMinimalInteger` when it has a
    ///   redundant trailing zero group, `.integerOverflow` when it is longer than 10 bytes or exceeds 2^64 − 1.
    public mutating func decodeUInt64() throws(CodecError) -> UInt64 {
        let start = self.offset
        var index = start
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < self.input.count else {
                throw .unexpectedEnd(offset: index, needed: 1)
            }
            let byte = self.input[index]
            index += 1
            let group = UInt64(byte & 0x7F)
            if shift == 63 && (group > 1 || byte & 0x80 != 0) {
                throw .integerOverflow(offset: start)
            }
            result |= group << shift
            if byte & 0x80 == 0 {
                if byte == 0 && index - start > 1 {
                    throw .nonMinimalInteger(offset: start)
                }
                self.offset = index
                return result
            }
            shift += 7
        }
    }

    /// Reads a varint that must fit in a `UInt32`.
    ///
    /// - Throws: `.integerOverflow` for larger values, and everything `decodeUInt64()` throws.
    public mutating func decodeUInt32() throws(CodecError) -> UInt32 {
        let start = self.offset
        let value = try self.decodeUInt64()
        guard let narrowed = UInt32(exactly: value) else {
            throw .integerOverflow(offset: start)
        }
        return narrowed
    }

    /// Reads a varint that must fit in a `UInt16`.
    ///
    /// - Throws: `.integerOverflow` for larger values, and everything `decodeUInt64()` throws.
    public mutating func decodeUInt16() throws(CodecError) -> UInt16 {
        let start = self.offset
        let value = try self.decodeUInt64()
        guard let narrowed = UInt16(exactly: value) else {
            throw .integerOverflow(offset: start)
        }
        return narrowed
    }

    /// Reads one raw byte (an enum tag).
    public mutating func decodeUInt8() throws(CodecError) -> UInt8 {
        try self.require(1)
        let byte = self.input[self.offset]
        self.offset += 1
        return byte
    }

    /// Reads one byte that must be 0 (`false`) or 1 (`true`).
    ///
    /// - Throws: `.invalidBool` for any other byte.
    public mutating func decodeBool() throws(CodecError) -> Bool {
        let start = self.offset
        switch try self.decodeUInt8() {
        case 0: return false
        case 1: return true
        case let other: throw .invalidBool(offset: start, value: other)
        }
    }

    // MARK: Strings and bytes

    /// Reads a length-prefixed UTF-8 string.
    ///
    /// - Parameter maxBytes: The largest accepted length in bytes; `limits.maxFieldBytes` when `nil`.
    /// - Throws: `.fieldTooLarge`, `.unexpectedEnd`, or `.invalidUTF8`.
    public mutating func decodeString(maxBytes: Int? = nil) throws(CodecError) -> String {
        let start = self.offset
        let length = try self.decodeLength(limit: maxBytes ?? self.limits.maxFieldBytes)
        let range = self.offset..<(self.offset + length)
        guard let string = String(validating: self.input[range], as: UTF8.self) else {
            throw .invalidUTF8(offset: start)
        }
        self.offset = range.upperBound
        return string
    }

    /// Reads a length-prefixed byte string.
    ///
    /// - Parameter maxBytes: The largest accepted length; `limits.maxFieldBytes` when `nil`.
    /// - Throws: `.fieldTooLarge` or `.unexpectedEnd`.
    public mutating func decodeBytes(maxBytes: Int? = nil) throws(CodecError) -> [UInt8] {
        let length = try self.decodeLength(limit: maxBytes ?? self.limits.maxFieldBytes)
        return self.take(length)
    }

    /// Reads exactly `count` raw bytes with no length prefix.
    ///
    /// - Throws: `.unexpectedEnd` when fewer than `count` bytes remain.
    public mutating func decodeFixedBytes(count: Int) throws(CodecError) -> [UInt8] {
        try self.require(count)
        return self.take(count)
    }

    // MARK: Composite values

    /// Reads a value of a `CanonicalDecodable` type.
    public mutating func decode<T: CanonicalDecodable>(_ type: T.Type) throws(CodecError) -> T {
        try T(from: &self)
    }

    /// Reads a count-prefixed array.
    ///
    /// - Parameter maxCount: The largest accepted element count; `limits.maxArrayCount` when `nil`.
    /// - Throws: `.fieldTooLarge` for a count over the limit, and whatever decoding an element throws.
    public mutating func decodeArray<T: CanonicalDecodable>(
        of type: T.Type,
        maxCount: Int? = nil
    ) throws(CodecError) -> [T] {
        let start = self.offset
        let limit = maxCount ?? self.limits.maxArrayCount
        let count = try self.decodeUInt64()
        guard count <= UInt64(max(limit, 0)) else {
            throw .fieldTooLarge(offset: start, length: Int(clamping: count), limit: limit)
        }
        var values: [T] = []
        // Never reserve more than the input could hold, whatever the count claims.
        values.reserveCapacity(min(Int(count), self.remainingCount))
        for _ in 0..<Int(count) {
            values.append(try T(from: &self))
        }
        return values
    }

    /// Reads an optional: a byte 0 (absent) or 1 followed by the value.
    ///
    /// - Throws: `.invalidValue` for a presence byte other than 0 or 1.
    public mutating func decodeOptional<T: CanonicalDecodable>(_ type: T.Type) throws(CodecError) -> T? {
        let start = self.offset
        switch try self.decodeUInt8() {
        case 0: return nil
        case 1: return try T(from: &self)
        case let other:
            throw .invalidValue(offset: start, reason: "optional presence byte \(other) is neither 0 nor 1")
        }
    }
}

// MARK: - Helpers

extension CanonicalDecoder {
    /// Throws `.unexpectedEnd` unless `count` more bytes are available.
    mutating func require(_ count: Int) throws(CodecError) {
        guard count <= self.remainingCount else {
            throw .unexpectedEnd(offset: self.offset, needed: count - self.remainingCount)
        }
    }

    /// Reads a varint length, checks it against `limit` and the remaining input, and returns it.
    private mutating func decodeLength(limit: Int) throws(CodecError) -> Int {
        let start = self.offset
        let length = try self.decodeUInt64()
        guard length <= UInt64(max(limit, 0)) else {
            throw .fieldTooLarge(offset: start, length: Int(clamping: length), limit: limit)
        }
        let needed = Int(length)
        try self.require(needed)
        return needed
    }

    /// Returns the next `count` bytes, which the caller has checked are available.
    private mutating func take(_ count: Int) -> [UInt8] {
        let bytes = Array(self.input[self.offset..<(self.offset + count)])
        self.offset += count
        return bytes
    }

    /// Reads 8 big-endian bytes, without allocating.
    mutating func decodeBigEndianUInt64() throws(CodecError) -> UInt64 {
        try self.require(8)
        var value: UInt64 = 0
        for index in self.offset..<(self.offset + 8) {
            value = value << 8 | UInt64(self.input[index])
        }
        self.offset += 8
        return value
    }

    /// Reads 4 big-endian bytes, without allocating.
    mutating func decodeBigEndianUInt32() throws(CodecError) -> UInt32 {
        try self.require(4)
        var value: UInt32 = 0
        for index in self.offset..<(self.offset + 4) {
            value = value << 8 | UInt32(self.input[index])
        }
        self.offset += 4
        return value
    }
}
