// DeAICore: the one error type of the canonical codec, hex, keys and addresses.

/// An error found while decoding or validating bytes, hex, keys, signatures or addresses.
///
/// Every case carries the context a person needs to find the problem: the byte offset in the input, the
/// length involved, the limit that was exceeded. Input from peers is untrusted, so every malformed value ends
/// in one of these errors, never in a crash.
public enum CodecError: Error, Equatable, Sendable {
    /// The input ended before the value did: `needed` more bytes were required at `offset`.
    case unexpectedEnd(offset: Int, needed: Int)
    /// A varint at `offset` used more bytes than its value needs (for example `[0x80, 0x00]` for zero).
    case nonMinimalInteger(offset: Int)
    /// An integer at `offset` does not fit the type being decoded.
    case integerOverflow(offset: Int)
    /// A length or count at `offset` is larger than the allowed limit.
    case fieldTooLarge(offset: Int, length: Int, limit: Int)
    /// `count` bytes remain after the value ended at `offset`.
    case trailingBytes(offset: Int, count: Int)
    /// A boolean at `offset` was neither 0 nor 1.
    case invalidBool(offset: Int, value: UInt8)
    /// A string starting at `offset` is not valid UTF-8.
    case invalidUTF8(offset: Int)
    /// An enum tag at `offset` is not one that `type` knows.
    case unknownTag(offset: Int, tag: UInt8, type: String)
    /// A fixed-size value had the wrong number of bytes.
    case invalidLength(expected: Int, actual: Int)
    /// A hexadecimal string had an odd length or a character that is not a hex digit.
    case invalidHex(String)
    /// A public or private key was rejected.
    case invalidKey(reason: String)
    /// A bech32 string was rejected (checksum, characters, case, length or padding).
    case invalidBech32(reason: String)
    /// A bech32 string is valid bech32 but not a DeAI address.
    case invalidAddress(reason: String)
    /// A decoded value at `offset` breaks a rule of its type.
    case invalidValue(offset: Int, reason: String)
}

// MARK: - CustomStringConvertible

extension CodecError: CustomStringConvertible {
    /// A sentence that says what was wrong and where.
    public var description: String {
        switch self {
        case .unexpectedEnd(let offset, let needed):
            return "unexpected end of input: \(needed) more \(Self.bytes(needed)) needed at offset \(offset)"
        case .nonMinimalInteger(let offset):
            return "non-minimal integer: the varint at offset \(offset) uses more bytes than its value needs"
        case .integerOverflow(let offset):
            return "integer overflow: the integer at offset \(offset) does not fit its type"
        case .fieldTooLarge(let offset, let length, let limit):
            return "field too large: length \(length) at offset \(offset) exceeds the limit of \(limit)"
        case .trailingBytes(let offset, let count):
            return "trailing bytes: \(count) \(Self.bytes(count)) after the end of the value at offset \(offset)"
        case .invalidBool(let offset, let value):
            return "invalid boolean: byte \(value) at offset \(offset) is neither 0 nor 1"
        case .invalidUTF8(let offset):
            return "invalid UTF-8: the string at offset \(offset) is not valid UTF-8"
        case .unknownTag(let offset, let tag, let type):
            return "unknown tag: \(tag) at offset \(offset) is not a known case of \(type)"
        case .invalidLength(let expected, let actual):
            return "invalid length: expected \(expected) \(Self.bytes(expected)), got \(actual)"
        case .invalidHex(let reason):
            return "invalid hex: \(reason)"
        case .invalidKey(let reason):
            return "invalid key: \(reason)"
        case .invalidBech32(let reason):
            return "invalid bech32: \(reason)"
        case .invalidAddress(let reason):
            return "invalid address: \(reason)"
        case .invalidValue(let offset, let reason):
            return "invalid value at offset \(offset): \(reason)"
        }
    }

    private static func bytes(_ count: Int) -> String {
        count == 1 ? "byte" : "bytes"
    }
}
