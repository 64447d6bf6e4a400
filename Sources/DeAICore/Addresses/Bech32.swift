// DeAICore: BIP-173 bech32 encoding.

/// Bech32 strings as specified by BIP-173: a human-readable part, the separator `1`, data in a 32-character
/// alphabet, and a 6-character BCH checksum that detects up to four errors.
///
/// DeAI uses it for addresses (`deai1…`). The byte-level `encode(humanReadablePart:data:)` and
/// `decode(_:)` regroup 8-bit bytes into 5-bit groups; the raw 5-bit functions exist for the BIP-173 checksum
/// test vectors and for formats that put their own values in the groups.
public enum Bech32 {
    /// The longest valid bech32 string.
    public static let maxLength = 90

    private static let alphabet: [UInt8] = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    private static let checksumLength = 6

    /// Encodes bytes as bech32, padding the last 5-bit group with zero bits.
    ///
    /// The result is only decodable when it is at most `maxLength` (90) characters: keep
    /// `humanReadablePart.count + 7 + (data.count * 8 + 4) / 5` within that.
    ///
    /// - Parameters:
    ///   - humanReadablePart: 1–83 printable ASCII characters; written in lowercase.
    ///   - data: The payload bytes.
    public static func encode(humanReadablePart: String, data: [UInt8]) -> String {
        self.encode(humanReadablePart: humanReadablePart, fiveBitGroups: self.regroup(eightBit: data))
    }

    /// Encodes 5-bit groups (each value 0–31) as bech32.
    ///
    /// - Parameters:
    ///   - humanReadablePart: 1–83 printable ASCII characters; written in lowercase.
    ///   - fiveBitGroups: The payload, one value below 32 per element; higher bits are ignored.
    public static func encode(humanReadablePart: String, fiveBitGroups: [UInt8]) -> String {
        let hrp = Array(humanReadablePart.lowercased().utf8)
        let groups = fiveBitGroups.map { $0 & 0x1F }
        let checksum = self.checksum(hrp: hrp, groups: groups)
        var result = hrp
        result.append(UInt8(ascii: "1"))
        for group in groups + checksum {
            result.append(self.alphabet[Int(group)])
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Decodes a bech32 string and regroups its payload into 8-bit bytes.
    ///
    /// - Returns: The human-readable part in lowercase and the payload bytes.
    /// - Throws: `.invalidBech32` for everything `decodeFiveBitGroups(_:)` rejects, and for more than 4 bits
    ///   of padding or non-zero padding bits.
    public static func decode(_ string: String) throws(CodecError) -> (humanReadablePart: String, data: [UInt8]) {
        let (hrp, groups) = try self.decodeFiveBitGroups(string)
        return (hrp, try self.regroup(fiveBit: groups))
    }

    /// Decodes a bech32 string into its human-readable part and raw 5-bit groups, checksum removed.
    ///
    /// - Throws: `.invalidBech32` when the string is longer than 90 characters, has a character outside
    ///   ASCII 33–126, mixes upper and lower case, has no separator, an empty human-readable part, a data
    ///   part shorter than the checksum, a character outside the bech32 alphabet, or a wrong checksum.
    public static func decodeFiveBitGroups(
        _ string: String
    ) throws(CodecError) -> (humanReadablePart: String, fiveBitGroups: [UInt8]) {
        let scalars = Array(string.unicodeScalars)
        guard scalars.count <= self.maxLength else {
            throw .invalidBech32(reason: "overall length \(scalars.count) exceeds \(self.maxLength)")
        }
        guard scalars.allSatisfy({ (33...126).contains($0.value) }) else {
            throw .invalidBech32(reason: "character out of range (printable ASCII 33–126 only)")
        }
        let characters = scalars.map { UInt8($0.value) }
        let hasLower = characters.contains { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
        let hasUpper = characters.contains { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
        guard !(hasLower && hasUpper) else {
            throw .invalidBech32(reason: "mixed upper and lower case")
        }
        let lower = characters.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 + 32 : $0 }
        guard let separator = lower.lastIndex(of: UInt8(ascii: "1")) else {
            throw .invalidBech32(reason: "no separator character '1'")
        }
        guard separator > 0 else {
            throw .invalidBech32(reason: "empty human-readable part")
        }
        guard lower.count - separator - 1 >= self.checksumLength else {
            throw .invalidBech32(reason: "data part shorter than the 6-character checksum")
        }
        var values: [UInt8] = []
        values.reserveCapacity(lower.count - separator - 1)
        for (position, character) in lower[(separator + 1)...].enumerated() {
            guard let value = self.alphabet.firstIndex(of: character) else {
                throw .invalidBech32(reason: "invalid data character at position \(separator + 1 + position)")
            }
            values.append(UInt8(value))
        }
        let hrp = Array(lower[..<separator])
        guard self.polymod(self.expand(hrp: hrp) + values) == 1 else {
            throw .invalidBech32(reason: "invalid checksum")
        }
        return (String(decoding: hrp, as: UTF8.self), Array(values.dropLast(self.checksumLength)))
    }
}

// MARK: - Checksum and regrouping

extension Bech32 {
    /// The BCH checksum's generator step over values, as in BIP-173.
    private static func polymod(_ values: [UInt8]) -> UInt32 {
        let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]
        var checksum: UInt32 = 1
        for value in values {
            let top = checksum >> 25
            checksum = (checksum & 0x1ff_ffff) << 5 ^ UInt32(value)
            for index in 0..<5 where (top >> UInt32(index)) & 1 == 1 {
                checksum ^= generator[index]
            }
        }
        return checksum
    }

    /// The human-readable part expanded for the checksum: high bits, a zero, low bits.
    private static func expand(hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 0x1F }
    }

    private static func checksum(hrp: [UInt8], groups: [UInt8]) -> [UInt8] {
        let polymod = self.polymod(self.expand(hrp: hrp) + groups + [0, 0, 0, 0, 0, 0]) ^ 1
        return (0..<6).map { UInt8((polymod >> UInt32(5 * (5 - $0))) & 0x1F) }
    }

    /// Splits bytes into 5-bit groups, padding the last group with zero bits.
    package static func regroup(eightBit bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity((bytes.count * 8 + 4) / 5)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in bytes {
            accumulator = accumulator << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                result.append(UInt8((accumulator >> UInt32(bits)) & 0x1F))
            }
        }
        if bits > 0 {
            result.append(UInt8((accumulator << UInt32(5 - bits)) & 0x1F))
        }
        return result
    }

    /// Joins 5-bit groups into bytes; the leftover bits must be fewer than 5 and all zero.
    ///
    /// - Throws: `.invalidBech32` for more than 4 bits of padding or non-zero padding.
    package static func regroup(fiveBit groups: [UInt8]) throws(CodecError) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(groups.count * 5 / 8)
        var accumulator: UInt32 = 0
        var bits = 0
        for group in groups {
            guard group < 32 else {
                throw .invalidBech32(reason: "a 5-bit group has value \(group)")
            }
            accumulator = (accumulator << 5 | UInt32(group)) & 0xFFF
            bits += 5
            if bits >= 8 {
                bits -= 8
                result.append(UInt8((accumulator >> UInt32(bits)) & 0xFF))
            }
        }
        guard bits < 5 else {
            throw .invalidBech32(reason: "more than 4 bits of padding")
        }
        guard (accumulator << UInt32(8 - bits)) & 0xFF == 0 else {
            throw .invalidBech32(reason: "non-zero padding bits")
        }
        return result
    }
}
