// DeAICoreTests: the canonical decoder rejects everything the encoder would not produce.

import DeAICore
import DeAITesting
import Testing

@Suite("Canonical codec rejections")
struct CodecRejectionTests {
    @Test(
        "non-minimal varints",
        arguments: [
            [0x80, 0x00], [0xFF, 0x00], [0x80, 0x80, 0x00], [0x81, 0x80, 0x80, 0x00],
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00],
        ] as [[UInt8]]
    )
    func nonMinimal(_ bytes: [UInt8]) {
        #expect(throws: CodecError.nonMinimalInteger(offset: 0)) { try UInt64(canonicalEncoding: bytes) }
    }

    @Test(
        "varints beyond 64 bits",
        arguments: [
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02],
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F],
            [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x00],
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
        ] as [[UInt8]]
    )
    func overflow(_ bytes: [UInt8]) {
        #expect(throws: CodecError.integerOverflow(offset: 0)) { try UInt64(canonicalEncoding: bytes) }
    }

    @Test("narrow integers out of range")
    func narrowOverflow() throws {
        #expect(throws: CodecError.integerOverflow(offset: 0)) {
            try UInt32(canonicalEncoding: (UInt64(UInt32.max) + 1).canonicalEncoding)
        }
        #expect(throws: CodecError.integerOverflow(offset: 0)) {
            try UInt16(canonicalEncoding: UInt64(65_536).canonicalEncoding)
        }
        #expect(try UInt16(canonicalEncoding: UInt64(65_535).canonicalEncoding) == .max)
    }

    @Test("trailing bytes")
    func trailing() {
        #expect(throws: CodecError.trailingBytes(offset: 1, count: 2)) {
            try UInt64(canonicalEncoding: [0x01, 0x00, 0x00])
        }
        var generator = SeededGenerator(seed: 5)
        let sample = Sample.random(using: &generator)
        #expect(throws: CodecError.trailingBytes(offset: sample.canonicalEncoding.count, count: 1)) {
            try Sample(canonicalEncoding: sample.canonicalEncoding + [0])
        }
    }

    @Test("oversized fields are refused before allocation")
    func oversized() {
        // A byte string claiming 2^64 - 1 bytes.
        let huge: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        #expect(throws: CodecError.fieldTooLarge(offset: 0, length: Int.max, limit: 1 << 20)) {
            var decoder = CanonicalDecoder(bytes: huge)
            _ = try decoder.decodeBytes()
        }
        // An explicit maximum wins over the limits.
        #expect(throws: CodecError.fieldTooLarge(offset: 0, length: 5, limit: 4)) {
            var decoder = CanonicalDecoder(bytes: [5, 1, 2, 3, 4, 5])
            _ = try decoder.decodeBytes(maxBytes: 4)
        }
        #expect(throws: CodecError.fieldTooLarge(offset: 0, length: 3, limit: 2)) {
            var decoder = CanonicalDecoder(bytes: [3, 0x61, 0x62, 0x63], limits: CodecLimits(maxFieldBytes: 2))
            _ = try decoder.decodeString()
        }
        #expect(throws: CodecError.fieldTooLarge(offset: 0, length: 3, limit: 2)) {
            var decoder = CanonicalDecoder(bytes: [3, 1, 2, 3], limits: CodecLimits(maxArrayCount: 2))
            _ = try decoder.decodeArray(of: UInt64.self)
        }
        // Within the limit but longer than the input: unexpected end, nothing allocated.
        #expect(throws: CodecError.unexpectedEnd(offset: 2, needed: 999)) {
            var decoder = CanonicalDecoder(bytes: [0xE8, 0x07, 0x01])
            _ = try decoder.decodeBytes()
        }
        // A huge array count within the limit over a tiny input fails on the first missing element.
        #expect(throws: CodecError.unexpectedEnd(offset: 3, needed: 1)) {
            var decoder = CanonicalDecoder(bytes: [0x80, 0x80, 0x40])
            _ = try decoder.decodeArray(of: UInt64.self)
        }
    }

    @Test("booleans other than 0 and 1", arguments: [2, 3, 0x80, 0xFF] as [UInt8])
    func invalidBool(_ byte: UInt8) {
        #expect(throws: CodecError.invalidBool(offset: 0, value: byte)) { try Bool(canonicalEncoding: [byte]) }
    }

    @Test(
        "invalid UTF-8",
        arguments: [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xE2, 0x82]] as [[UInt8]]
    )
    func invalidUTF8(_ bytes: [UInt8]) {
        #expect(throws: CodecError.invalidUTF8(offset: 0)) {
            try String(canonicalEncoding: [UInt8(bytes.count)] + bytes)
        }
    }

    @Test("unknown tags and bad optional markers")
    func tagsAndOptionals() {
        #expect(throws: CodecError.unknownTag(offset: 0, tag: 9, type: "Sample.Kind")) {
            try Sample.Kind(canonicalEncoding: [9])
        }
        #expect(throws: CodecError.invalidValue(offset: 0, reason: "optional presence byte 2 is neither 0 nor 1")) {
            var decoder = CanonicalDecoder(bytes: [2, 0])
            _ = try decoder.decodeOptional(UInt64.self)
        }
    }

    @Test("truncation at every cut point is an unexpected end", arguments: 0..<4)
    func truncation(seed: UInt64) {
        var generator = SeededGenerator(seed: 1_000 + seed)
        let bytes = Sample.random(using: &generator).canonicalEncoding
        for cut in 0..<bytes.count {
            do {
                _ = try Sample(canonicalEncoding: Array(bytes[..<cut]))
                Issue.record("a prefix of \(cut) of \(bytes.count) bytes decoded")
            } catch {
                guard case .unexpectedEnd = error else {
                    Issue.record("cut \(cut): expected unexpectedEnd, got \(error)")
                    continue
                }
            }
        }
    }

    @Test("random bytes never crash the decoder")
    func garbage() {
        var generator = SeededGenerator(seed: 99)
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...80, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            if let sample = try? Sample(canonicalEncoding: bytes) {
                #expect(sample.canonicalEncoding == bytes)
            }
        }
    }

    @Test("errors read as sentences")
    func descriptions() {
        #expect(
            CodecError.trailingBytes(offset: 120, count: 3).description
                == "trailing bytes: 3 bytes after the end of the value at offset 120"
        )
        #expect(
            CodecError.unexpectedEnd(offset: 4, needed: 1).description
                == "unexpected end of input: 1 more byte needed at offset 4"
        )
        #expect(CodecError.nonMinimalInteger(offset: 0).description.contains("offset 0"))
    }
}
