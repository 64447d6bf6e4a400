// DeAICore: writes values in the canonical binary encoding.

/// Writes values in DeAI's canonical binary encoding.
///
/// The rules, which `CanonicalDecoder` enforces on the way back:
/// - unsigned integers (`UInt64`, `UInt32`, `UInt16`) are unsigned LEB128 varints, always minimal;
/// - a `UInt8` is one raw byte (used for enum tags), a `Bool` one byte 0 or 1;
/// - strings (UTF-8) and byte strings are prefixed with their length in bytes as a varint;
/// - arrays are prefixed with their element count as a varint;
/// - an optional is a byte 0 (absent) or 1 followed by the value;
/// - fixed-size values (digests, keys, signatures) are raw bytes with no prefix.
///
/// ```swift
/// var encoder = CanonicalEncoder()
/// encoder.encode(UInt64(300))      // [0xAC, 0x02]
/// encoder.encode("hi")             // [0x02, 0x68, 0x69]
/// let bytes = encoder.bytes
/// ```
public struct CanonicalEncoder {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    /// Creates an empty encoder.
    public init() {
        self.bytes = []
    }

    /// Creates an empty encoder whose buffer has room for `capacity` bytes.
    public init(reservingCapacity capacity: Int) {
        self.bytes = []
        self.bytes.reserveCapacity(capacity)
    }

    /// Writes `value` as a minimal unsigned LEB128 varint (1 to 10 bytes).
    public mutating func encode(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            self.bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        self.bytes.append(UInt8(truncatingIfNeeded: remaining))
    }

    /// Writes `value` as a minimal unsigned LEB128 varint.
    public mutating func encode(_ value: UInt32) {
        self.encode(UInt64(value))
    }

    /// Writes `value` as a minimal unsigned LEB128 varint.
    public mutating func encode(_ value: UInt16) {
        self.encode(UInt64(value))
    }

    /// Writes `value` as one raw byte; used for enum tags.
    public mutating func encode(_ value: UInt8) {
        self.bytes.append(value)
    }

    /// Writes `value` as one byte: 1 for `true`, 0 for `false`.
    public mutating func encode(_ value: Bool) {
        self.bytes.append(value ? 1 : 0)
    }

    /// Writes `value` as its UTF-8 bytes, prefixed with their count.
    public mutating func encode(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            self.encode(UInt64(utf8.count))
            self.bytes.append(contentsOf: utf8)
        }
    }

    /// Writes a byte string prefixed with its length.
    public mutating func encode(bytes: some Collection<UInt8>) {
        self.encode(UInt64(bytes.count))
        self.bytes.append(contentsOf: bytes)
    }

    /// Writes raw bytes with no length prefix; the reader must know the count.
    public mutating func encode(fixedBytes: some Collection<UInt8>) {
        self.bytes.append(contentsOf: fixedBytes)
    }

    /// Writes a value's own canonical encoding.
    public mutating func encode<T: CanonicalEncodable>(_ value: T) {
        value.encode(to: &self)
    }

    /// Writes the element count, then each element in order.
    public mutating func encode<T: CanonicalEncodable>(_ values: [T]) {
        self.encode(UInt64(values.count))
        for value in values {
            value.encode(to: &self)
        }
    }

    /// Writes 0 for `nil`, or 1 followed by the value.
    public mutating func encode<T: CanonicalEncodable>(_ value: T?) {
        if let value {
            self.bytes.append(1)
            value.encode(to: &self)
        } else {
            self.bytes.append(0)
        }
    }
}

// MARK: - Internal fast paths

extension CanonicalEncoder {
    /// Appends `value` as 8 big-endian bytes, without a prefix.
    mutating func appendBigEndian(_ value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { self.bytes.append(contentsOf: $0) }
    }

    /// Appends `value` as 4 big-endian bytes, without a prefix.
    mutating func appendBigEndian(_ value: UInt32) {
        withUnsafeBytes(of: value.bigEndian) { self.bytes.append(contentsOf: $0) }
    }
}
