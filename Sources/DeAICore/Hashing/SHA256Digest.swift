// DeAICore: a SHA-256 digest as a value type.

/// A 32-byte SHA-256 digest: block hashes, transaction hashes, Merkle roots, blob IDs.
///
/// Stored inline as four big-endian 64-bit words, so a digest never allocates and compares as fast as four
/// integers. Ordering is the lexicographic order of the bytes. The canonical encoding is the 32 raw bytes;
/// `Codable` and `description` use lowercase hex.
public struct SHA256Digest: Sendable, Hashable {
    /// The number of bytes in a digest.
    public static let byteCount = 32

    /// The digest whose 32 bytes are all zero (for example the previous-block hash of the first block).
    public static let zero = SHA256Digest(words: (0, 0, 0, 0))

    // Big-endian words: word0 holds bytes 0...7.
    @usableFromInline var word0: UInt64
    @usableFromInline var word1: UInt64
    @usableFromInline var word2: UInt64
    @usableFromInline var word3: UInt64

    @inlinable
    init(words: (UInt64, UInt64, UInt64, UInt64)) {
        (self.word0, self.word1, self.word2, self.word3) = words
    }

    /// Creates a digest from exactly 32 bytes.
    ///
    /// - Throws: `.invalidLength` when `bytes` does not hold 32 bytes.
    public init(bytes: some Collection<UInt8>) throws(CodecError) {
        guard bytes.count == Self.byteCount else {
            throw .invalidLength(expected: Self.byteCount, actual: bytes.count)
        }
        self.init(words: (0, 0, 0, 0))
        for (index, byte) in bytes.enumerated() {
            switch index / 8 {
            case 0: self.word0 = self.word0 << 8 | UInt64(byte)
            case 1: self.word1 = self.word1 << 8 | UInt64(byte)
            case 2: self.word2 = self.word2 << 8 | UInt64(byte)
            default: self.word3 = self.word3 << 8 | UInt64(byte)
            }
        }
    }

    /// Parses 64 hex digits.
    ///
    /// - Throws: `.invalidHex` for bad digits, `.invalidLength` for the wrong number of bytes.
    public init(hexString: String) throws(CodecError) {
        try self.init(bytes: try [UInt8](hexString: hexString))
    }

    /// The 32 bytes of the digest.
    public var bytes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(Self.byteCount)
        for word in [self.word0, self.word1, self.word2, self.word3] {
            Swift.withUnsafeBytes(of: word.bigEndian) { result.append(contentsOf: $0) }
        }
        return result
    }

    /// The digest as 64 lowercase hex digits.
    public var hexString: String {
        self.bytes.hexString
    }

    /// Writes the 32 bytes big-endian at `offset` in `buffer`, which must have room for them.
    @inlinable
    func store(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
        buffer.storeBytes(of: self.word0.bigEndian, toByteOffset: offset, as: UInt64.self)
        buffer.storeBytes(of: self.word1.bigEndian, toByteOffset: offset + 8, as: UInt64.self)
        buffer.storeBytes(of: self.word2.bigEndian, toByteOffset: offset + 16, as: UInt64.self)
        buffer.storeBytes(of: self.word3.bigEndian, toByteOffset: offset + 24, as: UInt64.self)
    }

    /// Reads a digest from the 32 bytes at the start of `buffer`, which must hold at least 32 bytes.
    @inlinable
    init(loadingFrom buffer: UnsafeRawBufferPointer) {
        self.init(
            words: (
                UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
            )
        )
    }
}

// MARK: - Comparable

extension SHA256Digest: Comparable {
    /// Orders digests by their bytes, lexicographically.
    public static func < (lhs: SHA256Digest, rhs: SHA256Digest) -> Bool {
        (lhs.word0, lhs.word1, lhs.word2, lhs.word3) < (rhs.word0, rhs.word1, rhs.word2, rhs.word3)
    }
}

// MARK: - CustomStringConvertible

extension SHA256Digest: CustomStringConvertible {
    /// The digest as lowercase hex.
    public var description: String {
        self.hexString
    }
}
