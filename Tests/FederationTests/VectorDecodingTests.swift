// decodeVector rejects every malformed blob with a FederationError, and never traps on arbitrary bytes.

import Federation
import Learning
import Testing

@Suite("decodeVector rejects malformed blobs")
struct VectorDecodingTests {
    static let header = Array("DEAIVEC1".utf8)

    static func blob(code: UInt8, count: UInt64, payload: [UInt8]) -> [UInt8] {
        var bytes = Self.header + [code]
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: count >> UInt64(shift))) }
        return bytes + payload
    }

    @Test("Each defect has its own error with context")
    func defects() {
        let valid = encodeVector([1, 2, 3], as: .float32)
        #expect(throws: FederationError.badMagic(found: Array("DEAIVEC2".utf8))) {
            try decodeVector(Array("DEAIVEC2".utf8) + Array(valid[8...]))
        }
        #expect(throws: FederationError.badMagic(found: [0x50, 0x4B])) { try decodeVector([0x50, 0x4B]) }
        #expect(throws: FederationError.unknownEncoding(code: 64)) { try decodeVector(Self.blob(code: 64, count: 0, payload: [])) }
        #expect(throws: FederationError.truncatedVector(expectedBytes: 29, actualBytes: 28)) {
            try decodeVector(Array(valid.dropLast()))
        }
        #expect(throws: FederationError.trailingBytes(count: 1)) { try decodeVector(valid + [0]) }
        #expect(throws: FederationError.vectorCountMismatch(expected: 4, actual: 3)) {
            try decodeVector(valid, expectedCount: 4)
        }
        #expect(throws: FederationError.vectorTooLong(count: .max, maximum: 50_000_000)) {
            try decodeVector(Self.blob(code: 32, count: .max, payload: []))
        }
        #expect(throws: FederationError.vectorTooLong(count: 3, maximum: 2)) { try decodeVector(valid, maxCount: 2) }
        #expect(throws: FederationError.nonFiniteElement(index: 1)) {
            try decodeVector(Self.blob(code: 16, count: 2, payload: [0, 0x3C, 0, 0x7C]))
        }
        #expect(throws: FederationError.invalidQuantizedValue(index: 1)) {
            try decodeVector(Self.blob(code: 8, count: 2, payload: [0, 0, 0x80, 0x3F, 1, 0x80]))
        }
        #expect(throws: FederationError.invalidScale(bitPattern: 0xBF80_0000)) {
            try decodeVector(Self.blob(code: 8, count: 1, payload: [0, 0, 0x80, 0xBF, 1]))
        }
    }

    @Test("Every strict prefix of a valid blob is reported as truncated", arguments: UpdateEncoding.allCases)
    func prefixes(encoding: UpdateEncoding) {
        let blob = encodeVector([0.5, -1.25, 3], as: encoding)
        for length in 0..<blob.count {
            #expect(throws: FederationError.self) { try decodeVector(Array(blob.prefix(length))) }
            do {
                _ = try decodeVector(Array(blob.prefix(length)))
            } catch {
                guard case .truncatedVector(_, let actual) = error else {
                    Issue.record("prefix of \(length) bytes: \(error)")
                    continue
                }
                #expect(actual == length)
            }
        }
    }

    @Test("Random and mutated bytes either decode or throw; float blobs that decode re-encode identically")
    func fuzz() {
        var generator = Xoshiro256(seed: 0xF022)
        func byte() -> UInt8 { UInt8(truncatingIfNeeded: generator.next()) }
        var seeds: [[UInt8]] = UpdateEncoding.allCases.map { encodeVector([1, -0.5, 1e-3, 42, 0], as: $0) }
        seeds.append(Self.blob(code: 32, count: 1 << 40, payload: [1, 2, 3]))
        var decoded = 0
        for iteration in 0..<20_000 {
            var bytes: [UInt8]
            if iteration % 4 == 0 {
                bytes = (0..<Int(generator.next() % 48)).map { _ in byte() }
                if generator.next() % 2 == 0 { bytes = Self.header + bytes }
            } else {
                bytes = seeds[Int(generator.next() % UInt64(seeds.count))]
                for _ in 0...(generator.next() % 3) {
                    switch generator.next() % 4 {
                    case 0 where !bytes.isEmpty: bytes[Int(generator.next() % UInt64(bytes.count))] = byte()
                    case 1 where !bytes.isEmpty: bytes.removeLast(Int(generator.next() % UInt64(bytes.count)) + 1)
                    case 2: bytes.append(byte())
                    default: if bytes.count > 9 { bytes[8] = [8, 16, 32, 0, 255][Int(generator.next() % 5)] }
                    }
                }
            }
            do {
                let values = try decodeVector(bytes, maxCount: 1 << 20)
                decoded += 1
                #expect(values.allSatisfy { $0.isFinite })
                if bytes[8] != UpdateEncoding.int8.code {
                    #expect(encodeVector(values, as: UpdateEncoding(code: bytes[8])!) == bytes)
                }
            } catch {
                // Any FederationError is acceptable; the point is that nothing traps.
            }
        }
        #expect(decoded > 100)
    }

    /// Found by `FuzzUpdateBlob` (Fuzz/): an int8 blob whose finite scale (8.2e36, above `Float.greatestFiniteMagnitude
    /// / 127`) times a level overflows to an infinity, which `decodeVector` returned instead of refusing.
    @Test("An int8 level times a huge finite scale that overflows is a non-finite element")
    func int8Overflow() {
        let blob: [UInt8] = [
            0x44, 0x45, 0x41, 0x49, 0x56, 0x45, 0x43, 0x31, 0x08, 0x46, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06,
            0x83, 0xC4, 0x7C, 0xF9, 0x41, 0x54, 0x3F, 0xBE, 0x69, 0xC9, 0x81, 0xEB, 0xD6, 0x00, 0x15, 0x2B, 0x40, 0x55,
            0x6A, 0x7F, 0x81, 0x96, 0xAB, 0xC0, 0xD6, 0xEB, 0x00, 0x15, 0x2A, 0x40, 0x55, 0x6A, 0x7F, 0x81, 0x96, 0xAB,
            0xC0, 0xD6, 0xEB, 0x00, 0x15, 0x2A, 0x40, 0x55, 0x99, 0x7F, 0x81, 0x96, 0xAB, 0xC0, 0xD6, 0xEB, 0x00, 0x15,
            0x2A, 0x40, 0x55, 0x6A, 0x00, 0x32, 0x96, 0xAB, 0xC0, 0xD6, 0xEB, 0x00, 0x15, 0x2A, 0x40, 0x55, 0x6A, 0x7F,
            0x81, 0x96, 0xAB, 0xC0, 0xD6,
        ]
        #expect(throws: FederationError.nonFiniteElement(index: 0)) { try decodeVector(blob) }
    }
}
