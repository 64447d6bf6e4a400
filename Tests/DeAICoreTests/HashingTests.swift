// DeAICoreTests: SHA-256 digests.

import DeAICore
import DeAITesting
import Foundation
import Testing

@Suite("SHA256Digest")
struct HashingTests {
    struct NISTVector: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var message: String
        var digest: String
        var testDescription: String { self.name }
    }

    @Test("NIST SHA-256 vectors", arguments: try Vectors.load("nist-sha256", as: VectorFile<NISTVector>.self).vectors)
    func nistVector(_ vector: NISTVector) throws {
        let digest = SHA256Digest(hashing: Array(vector.message.utf8))
        #expect(digest.hexString == vector.digest)
        #expect(digest == (try SHA256Digest(hexString: vector.digest)))
        #expect(digest.bytes == (try [UInt8](hexString: vector.digest)))
    }

    @Test("byte and hex round trips")
    func roundTrips() throws {
        let digest = SHA256Digest(hashing: Array("round trip".utf8))
        #expect(try SHA256Digest(bytes: digest.bytes) == digest)
        #expect(try SHA256Digest(hexString: digest.hexString.uppercased()) == digest)
        #expect(digest.description == digest.hexString)
        #expect(SHA256Digest.zero.bytes == [UInt8](repeating: 0, count: 32))
        #expect(digest.canonicalEncoding == digest.bytes)
        #expect(try SHA256Digest(canonicalEncoding: digest.bytes) == digest)
    }

    @Test("wrong lengths and bad hex are rejected")
    func rejections() {
        #expect(throws: CodecError.invalidLength(expected: 32, actual: 31)) {
            try SHA256Digest(bytes: [UInt8](repeating: 1, count: 31))
        }
        #expect(throws: CodecError.invalidLength(expected: 32, actual: 33)) {
            try SHA256Digest(bytes: [UInt8](repeating: 1, count: 33))
        }
        #expect(throws: CodecError.self) { try SHA256Digest(hexString: "abc") }
        #expect(throws: CodecError.self) { try SHA256Digest(hexString: String(repeating: "zz", count: 32)) }
        #expect(throws: CodecError.unexpectedEnd(offset: 0, needed: 2)) {
            try SHA256Digest(canonicalEncoding: [UInt8](repeating: 0, count: 30))
        }
    }

    @Test("ordering is lexicographic by bytes")
    func ordering() throws {
        var generator = SeededGenerator(seed: 7)
        let digests = (0..<200).map { _ in
            SHA256Digest(hashing: (0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        let byBytes = digests.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        #expect(digests.sorted() == byBytes)
        var low = [UInt8](repeating: 0, count: 32)
        low[31] = 0xFF
        var high = [UInt8](repeating: 0, count: 32)
        high[0] = 0x01
        #expect(try SHA256Digest(bytes: low) < SHA256Digest(bytes: high))
    }

    @Test("domain separation prefixes the domain's length")
    func domainSeparation() {
        let data = Array("c".utf8)
        let separated = SHA256Digest(domain: "ab", hashing: data)
        #expect(separated == SHA256Digest(hashing: [2] + Array("abc".utf8)))
        #expect(separated != SHA256Digest(domain: "a", hashing: Array("bc".utf8)))
        #expect(separated != SHA256Digest(hashing: Array("abc".utf8)))
    }

    @Test("JSON uses lowercase hex")
    func json() throws {
        let digest = SHA256Digest(hashing: [1, 2, 3])
        let encoded = try JSONEncoder().encode([digest])
        #expect(String(decoding: encoded, as: UTF8.self) == "[\"\(digest.hexString)\"]")
        #expect(try JSONDecoder().decode([SHA256Digest].self, from: encoded) == [digest])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([SHA256Digest].self, from: Data("[\"00\"]".utf8))
        }
    }

    @Test("hex helper rejects odd length and non-hex characters")
    func hexHelper() throws {
        #expect(try [UInt8](hexString: "00ff10Ab") == [0x00, 0xFF, 0x10, 0xAB])
        #expect([UInt8]([0x00, 0xFF, 0x10, 0xAB]).hexString == "00ff10ab")
        #expect(try [UInt8](hexString: "").isEmpty)
        #expect(throws: CodecError.self) { try [UInt8](hexString: "0") }
        #expect(throws: CodecError.self) { try [UInt8](hexString: "0g") }
        #expect(throws: CodecError.self) { try [UInt8](hexString: "é1") }
    }
}
