// DeAICore: account addresses.

/// A DeAI account address: the first 20 bytes of SHA-256 of an Ed25519 public key, shown as bech32 with the
/// prefix `deai` (for example `deai1…`).
///
/// Stored inline (no allocation). Equality, hashing and ordering use the 20 bytes; the canonical encoding is
/// the 20 raw bytes; `Codable`, `description` and `init(_:)` use the bech32 string.
public struct Address: Sendable, Hashable {
    /// The bech32 human-readable part of every DeAI address.
    public static let humanReadablePart = "deai"

    /// The number of bytes in an address.
    public static let byteCount = 20

    // Big-endian: high holds bytes 0...7, middle 8...15, low 16...19.
    private var high: UInt64
    private var middle: UInt64
    private var low: UInt32

    /// The address of `publicKey`.
    public init(publicKey: VerifyingKey) {
        let digest = SHA256Digest(hashing: publicKey.rawRepresentation)
        // The first 20 bytes of the digest are its first two words and the top half of the third.
        self.high = digest.word0
        self.middle = digest.word1
        self.low = UInt32(truncatingIfNeeded: digest.word2 >> 32)
    }

    /// Creates an address from exactly 20 bytes.
    ///
    /// - Throws: `.invalidLength` for any other length.
    public init(bytes: some Collection<UInt8>) throws(CodecError) {
        guard bytes.count == Self.byteCount else {
            throw .invalidLength(expected: Self.byteCount, actual: bytes.count)
        }
        var high: UInt64 = 0
        var middle: UInt64 = 0
        var low: UInt32 = 0
        for (index, byte) in bytes.enumerated() {
            switch index {
            case 0..<8: high = high << 8 | UInt64(byte)
            case 8..<16: middle = middle << 8 | UInt64(byte)
            default: low = low << 8 | UInt32(byte)
            }
        }
        self.high = high
        self.middle = middle
        self.low = low
    }

    /// Parses a bech32 address such as `deai1…` (all lower case or all upper case).
    ///
    /// - Throws: `.invalidBech32` when the string is not valid bech32, `.invalidAddress` when its
    ///   human-readable part is not `deai` or its payload is not 20 bytes.
    public init(bech32 string: String) throws(CodecError) {
        let (hrp, data) = try Bech32.decode(string)
        guard hrp == Self.humanReadablePart else {
            throw .invalidAddress(reason: "prefix '\(hrp)' is not '\(Self.humanReadablePart)'")
        }
        guard data.count == Self.byteCount else {
            throw .invalidAddress(reason: "payload is \(data.count) bytes, an address is \(Self.byteCount)")
        }
        try self.init(bytes: data)
    }

    /// The 20 bytes of the address.
    public var bytes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(Self.byteCount)
        withUnsafeBytes(of: self.high.bigEndian) { result.append(contentsOf: $0) }
        withUnsafeBytes(of: self.middle.bigEndian) { result.append(contentsOf: $0) }
        withUnsafeBytes(of: self.low.bigEndian) { result.append(contentsOf: $0) }
        return result
    }

    /// The address in bech32, `deai1…`.
    public var bech32: String {
        Bech32.encode(humanReadablePart: Self.humanReadablePart, data: self.bytes)
    }
}

// MARK: - Comparable

extension Address: Comparable {
    /// Orders addresses by their bytes, lexicographically.
    public static func < (lhs: Address, rhs: Address) -> Bool {
        (lhs.high, lhs.middle, lhs.low) < (rhs.high, rhs.middle, rhs.low)
    }
}

// MARK: - String conversion

extension Address: CustomStringConvertible, LosslessStringConvertible {
    /// The address in bech32, `deai1…`.
    public var description: String {
        self.bech32
    }

    /// Parses a bech32 address; `nil` when it is not a valid DeAI address.
    public init?(_ description: String) {
        guard let address = try? Address(bech32: description) else {
            return nil
        }
        self = address
    }
}

// MARK: - CanonicalCodable

extension Address: CanonicalCodable {
    /// Writes the 20 raw bytes, with no length prefix.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.appendBigEndian(self.high)
        encoder.appendBigEndian(self.middle)
        encoder.appendBigEndian(self.low)
    }

    /// Reads 20 raw bytes.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        try decoder.require(Self.byteCount)
        self.high = try decoder.decodeBigEndianUInt64()
        self.middle = try decoder.decodeBigEndianUInt64()
        self.low = try decoder.decodeBigEndianUInt32()
    }
}

// MARK: - Codable

extension Address: Codable {
    /// Decodes an address from its bech32 string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        do {
            try self.init(bech32: string)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(error)")
        }
    }

    /// Encodes the address as its bech32 string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.bech32)
    }
}
