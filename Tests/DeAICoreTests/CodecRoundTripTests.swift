// DeAICoreTests: canonical codec round trips and known encodings.

import DeAICore
import DeAITesting
import Testing

@Suite("Canonical codec round trips")
struct CodecRoundTripTests {
    @Test(
        "varints have the documented bytes",
        arguments: [
            (UInt64(0), [0x00]),
            (1, [0x01]),
            (127, [0x7F]),
            (128, [0x80, 0x01]),
            (300, [0xAC, 0x02]),
            (16_383, [0xFF, 0x7F]),
            (16_384, [0x80, 0x80, 0x01]),
            (UInt64(UInt32.max), [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
            (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
        ] as [(UInt64, [UInt8])]
    )
    func varint(_ value: UInt64, _ bytes: [UInt8]) throws {
        #expect(value.canonicalEncoding == bytes)
        #expect(try UInt64(canonicalEncoding: bytes) == value)
    }

    @Test("scalars, strings and containers have the documented bytes")
    func knownEncodings() {
        var encoder = CanonicalEncoder()
        encoder.encode(true)
        encoder.encode(UInt8(7))
        encoder.encode(UInt16(300))
        encoder.encode(UInt32(1))
        encoder.encode("hé")
        encoder.encode(bytes: [0xAA, 0xBB])
        encoder.encode(fixedBytes: [0xCC])
        encoder.encode([UInt64(1), UInt64(128)])
        encoder.encode(UInt64?.none)
        encoder.encode(UInt64?.some(5))
        #expect(
            encoder.bytes == [
                0x01, 0x07, 0xAC, 0x02, 0x01, 0x03, 0x68, 0xC3, 0xA9, 0x02, 0xAA, 0xBB, 0xCC,
                0x02, 0x01, 0x80, 0x01, 0x00, 0x01, 0x05,
            ]
        )
    }

    @Test("random values round-trip and re-encode identically", arguments: 0..<8)
    func randomRoundTrip(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        for _ in 0..<100 {
            let sample = Sample.random(using: &generator)
            let bytes = sample.canonicalEncoding
            let decoded = try Sample(canonicalEncoding: bytes)
            #expect(decoded == sample, "seed \(seed)")
            #expect(decoded.canonicalEncoding == bytes, "seed \(seed)")
        }
    }

    @Test("integers of every width round-trip")
    func integers() throws {
        var generator = SeededGenerator(seed: 64)
        for _ in 0..<2_000 {
            let value = Sample.interestingInteger(using: &generator)
            #expect(try UInt64(canonicalEncoding: value.canonicalEncoding) == value)
            let narrow = UInt32(truncatingIfNeeded: value)
            #expect(try UInt32(canonicalEncoding: narrow.canonicalEncoding) == narrow)
            let narrower = UInt16(truncatingIfNeeded: value)
            #expect(try UInt16(canonicalEncoding: narrower.canonicalEncoding) == narrower)
        }
    }

    @Test("the decoder reports its position")
    func position() throws {
        var decoder = CanonicalDecoder(bytes: [0x01, 0x80, 0x01])
        #expect(!decoder.isAtEnd)
        #expect(try decoder.decodeUInt64() == 1)
        #expect(decoder.offset == 1)
        #expect(try decoder.decodeUInt64() == 128)
        #expect(decoder.isAtEnd)
        try decoder.finish()
    }
}
