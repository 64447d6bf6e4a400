// DeAICore: lowercase hexadecimal for byte arrays.

extension Array where Element == UInt8 {
    /// The bytes as lowercase hexadecimal, two digits per byte.
    public var hexString: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: self.count * 2) { buffer in
            for (index, byte) in self.enumerated() {
                buffer[2 * index] = digits[Int(byte >> 4)]
                buffer[2 * index + 1] = digits[Int(byte & 0x0F)]
            }
            return self.count * 2
        }
    }

    /// Parses hexadecimal digits (either case) into bytes.
    ///
    /// - Throws: `.invalidHex` for an odd number of digits or a character that is not a hex digit.
    public init(hexString: String) throws(CodecError) {
        let utf8 = Array(hexString.utf8)
        guard utf8.count % 2 == 0 else {
            throw .invalidHex("odd number of digits (\(utf8.count))")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = hexValue(utf8[index]), let low = hexValue(utf8[index + 1]) else {
                throw .invalidHex("non-hex character at position \(index)")
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        self = bytes
    }
}

/// The value of one ASCII hex digit, or `nil`.
private func hexValue(_ character: UInt8) -> UInt8? {
    switch character {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
    default: return nil
    }
}
