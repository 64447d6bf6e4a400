// Vector blobs: the layout, exact float32 round trips and the error bounds of float16 and int8.

import Federation
import Learning
import Testing

@Suite("Vector blobs encode weights and updates")
struct VectorEncodingTests {
    /// A real update: one local round of an MLP on digits.
    static let trainedDelta: [Float] = {
        let fixture = try! RoundFixture(dataset: "digits", fractions: [0.3], warmRounds: 0)
        return try! fixture.updates()[0].delta
    }()

    @Test("The header is magic, encoding byte, little-endian count; float32 payload little-endian")
    func float32Layout() {
        let blob = encodeVector([1, -2], as: .float32)
        #expect(blob == Array("DEAIVEC1".utf8) + [32] + [2, 0, 0, 0, 0, 0, 0, 0] + [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0])
    }

    @Test("int8 writes the scale max|x|/127 and rounds to nearest even")
    func int8Layout() {
        // scale = 127 / 127 = 1; −63.5 rounds to −64 (even), 2.5 to 2.
        let blob = encodeVector([0, 127, -63.5, 2.5], as: .int8)
        #expect(blob == Array("DEAIVEC1".utf8) + [8] + [4, 0, 0, 0, 0, 0, 0, 0] + [0, 0, 0x80, 0x3F] + [0, 127, 0xC0, 2])
    }

    @Test("int8 has one scale per block of 64 elements")
    func int8Blocks() throws {
        // Block 0 holds 64 values of magnitude ≤ 1, block 1 one value 254: scales 1/127 and 2.
        let values = (0..<64).map { Float($0 % 2 == 0 ? 1 : -1) } + [254]
        let blob = encodeVector(values, as: .int8)
        #expect(blob.count == 17 + 8 + 65)
        #expect(Array(blob[17..<25]) == Array(withUnsafeBytes(of: (Float(1) / 127).bitPattern.littleEndian, Array.init))
            + [0, 0, 0, 0x40])
        #expect(Array(blob[25...]) == (0..<64).map { $0 % 2 == 0 ? 127 : 0x81 } + [127])
        #expect(try decodeVector(blob) == values.map { $0 == 254 ? 254 : $0 * 127 * (Float(1) / 127) })
    }

    @Test("float16 stores IEEE binary16, saturating beyond ±65504")
    func float16Layout() throws {
        let blob = encodeVector([1, -2, 65504, 1e9, -1e9, 0x1p-24], as: .float16)
        #expect(Array(blob[17...]) == [0x00, 0x3C, 0x00, 0xC0, 0xFF, 0x7B, 0xFF, 0x7B, 0xFF, 0xFB, 0x01, 0x00])
        #expect(try decodeVector(blob) == [1, -2, 65504, 65504, -65504, 0x1p-24])
    }

    @Test("float32 round-trips every bit pattern exactly, including −0, subnormals and extremes")
    func float32Exact() throws {
        var generator = Xoshiro256(seed: 1)
        var values: [Float] = [0, -0.0, .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude, 1, -1]
        while values.count < 10_000 {
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()))
            if value.isFinite { values.append(value) }
        }
        let decoded = try decodeVector(encodeVector(values, as: .float32), expectedCount: values.count)
        #expect(decoded.map(\.bitPattern) == values.map(\.bitPattern))
        #expect(measureEncodingError(values, encoding: .float32) == EncodingDistortion(maxAbsolute: 0, relativeL2: 0))
    }

    @Test("Empty vectors round-trip in every encoding", arguments: UpdateEncoding.allCases)
    func empty(encoding: UpdateEncoding) throws {
        #expect(try decodeVector(encodeVector([], as: encoding), expectedCount: 0) == [])
    }

    @Test("A trained update loses < 0.1% (float16) and < 1% (int8) of its L2 norm")
    func lossyBounds() throws {
        let delta = Self.trainedDelta
        let half = measureEncodingError(delta, encoding: .float16)
        let byte = measureEncodingError(delta, encoding: .int8)
        #expect(half.relativeL2 < 1e-3)
        #expect(byte.relativeL2 < 0.01)
        let scale = Double(delta.map(abs).max()!) / 127
        #expect(byte.maxAbsolute <= scale / 2 * 1.0001)
        #expect(encodeVector(delta, as: .int8).count == 17 + 4 * ((delta.count + 63) / 64) + delta.count)
    }

    @Test("The binary16 conversion matches the platform's Float16 on every pattern")
    func float16MatchesPlatform() throws {
        #if !(os(macOS) && arch(x86_64))
        var generator = Xoshiro256(seed: 2)
        let patterns = (0...UInt16.max).map { Float(Float16(bitPattern: $0)) }.filter(\.isFinite)
        let decoded = try decodeVector(encodeVector(patterns, as: .float16))
        #expect(decoded.map(\.bitPattern) == patterns.map(\.bitPattern))
        var values: [Float] = []
        while values.count < 20_000 {
            let value = Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()))
            if Float(Float16(value)).isFinite { values.append(value) }
        }
        let rounded = try decodeVector(encodeVector(values, as: .float16))
        #expect(rounded.map(\.bitPattern) == values.map { Float(Float16($0)).bitPattern })
        #endif
    }

    @Test("Non-finite values make the blob undecodable rather than disappear", arguments: UpdateEncoding.allCases)
    func nonFiniteInput(encoding: UpdateEncoding) {
        for bad: Float in [.nan, .infinity, -.infinity] {
            let blob = encodeVector([1, bad, 2], as: encoding)
            #expect(throws: FederationError.self) { try decodeVector(blob) }
            #expect(measureEncodingError([1, bad], encoding: encoding).relativeL2 == .infinity)
        }
    }
}
