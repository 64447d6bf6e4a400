// DeAICoreTests: a sample type that uses every codec feature, and its random generator.

import DeAICore
import DeAITesting

/// A value with one field of every kind the codec supports.
struct Sample: CanonicalCodable, Equatable {
    enum Kind: UInt8, CanonicalCodable {
        case alpha = 0
        case beta = 1
        case gamma = 2

        func encode(to encoder: inout CanonicalEncoder) {
            encoder.encode(self.rawValue)
        }

        init(from decoder: inout CanonicalDecoder) throws(CodecError) {
            let offset = decoder.offset
            let tag = try decoder.decodeUInt8()
            guard let kind = Kind(rawValue: tag) else {
                throw .unknownTag(offset: offset, tag: tag, type: "Sample.Kind")
            }
            self = kind
        }
    }

    var kind: Kind
    var big: UInt64
    var medium: UInt32
    var small: UInt16
    var flag: Bool
    var text: String
    var blob: [UInt8]
    var digest: SHA256Digest
    var numbers: [UInt64]
    var address: Address?
    var children: [Sample]

    func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.kind)
        encoder.encode(self.big)
        encoder.encode(self.medium)
        encoder.encode(self.small)
        encoder.encode(self.flag)
        encoder.encode(self.text)
        encoder.encode(bytes: self.blob)
        encoder.encode(self.digest)
        encoder.encode(self.numbers)
        encoder.encode(self.address)
        encoder.encode(self.children)
    }

    init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.kind = try decoder.decode(Kind.self)
        self.big = try decoder.decodeUInt64()
        self.medium = try decoder.decodeUInt32()
        self.small = try decoder.decodeUInt16()
        self.flag = try decoder.decodeBool()
        self.text = try decoder.decodeString(maxBytes: 256)
        self.blob = try decoder.decodeBytes(maxBytes: 256)
        self.digest = try decoder.decode(SHA256Digest.self)
        self.numbers = try decoder.decodeArray(of: UInt64.self, maxCount: 64)
        self.address = try decoder.decodeOptional(Address.self)
        self.children = try decoder.decodeArray(of: Sample.self, maxCount: 4)
    }

    init(
        kind: Kind,
        big: UInt64,
        medium: UInt32,
        small: UInt16,
        flag: Bool,
        text: String,
        blob: [UInt8],
        digest: SHA256Digest,
        numbers: [UInt64],
        address: Address?,
        children: [Sample]
    ) {
        self.kind = kind
        self.big = big
        self.medium = medium
        self.small = small
        self.flag = flag
        self.text = text
        self.blob = blob
        self.digest = digest
        self.numbers = numbers
        self.address = address
        self.children = children
    }

    /// A random sample; integers are biased towards varint length boundaries.
    static func random(using generator: inout SeededGenerator, depth: Int = 0) -> Sample {
        let alphabet: [Character] = ["a", "Z", "0", " ", "é", "€", "🙂", "\u{0}", "中"]
        let textLength = Int.random(in: 0...12, using: &generator)
        let text = String((0..<textLength).map { _ in alphabet.randomElement(using: &generator) ?? "a" })
        let blob = (0..<Int.random(in: 0...40, using: &generator)).map { _ in
            UInt8.random(in: 0...255, using: &generator)
        }
        let numbers = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
            Self.interestingInteger(using: &generator)
        }
        let address =
            Bool.random(using: &generator)
            ? TestKeys.signingKey(Int.random(in: 0...3, using: &generator)).verifyingKey.address : nil
        let children =
            depth < 2
            ? (0..<Int.random(in: 0...2, using: &generator)).map { _ in
                Sample.random(using: &generator, depth: depth + 1)
            } : []
        return Sample(
            kind: [.alpha, .beta, .gamma].randomElement(using: &generator) ?? .alpha,
            big: Self.interestingInteger(using: &generator),
            medium: UInt32(truncatingIfNeeded: Self.interestingInteger(using: &generator)),
            small: UInt16(truncatingIfNeeded: Self.interestingInteger(using: &generator)),
            flag: Bool.random(using: &generator),
            text: text,
            blob: blob,
            digest: SHA256Digest(hashing: blob),
            numbers: numbers,
            address: address,
            children: children
        )
    }

    /// An integer with a random bit width, so that every varint length from 1 to 10 bytes occurs.
    static func interestingInteger(using generator: inout SeededGenerator) -> UInt64 {
        let bits = Int.random(in: 0...64, using: &generator)
        let value = generator.next()
        let masked = bits == 64 ? value : value & ((1 << UInt64(bits)) - 1)
        return Bool.random(using: &generator) ? masked : (bits == 0 ? 0 : (1 << UInt64(bits - 1)) - 1)
    }
}
