// DeAICoreTests: BIP-173 bech32.

import DeAICore
import DeAITesting
import Testing

@Suite("Bech32")
struct Bech32Tests {
    struct InvalidString: Decodable, Sendable, CustomTestStringConvertible {
        var string: String
        var reason: String
        var testDescription: String { "\(self.reason): \(self.string.debugDescription)" }
    }

    struct SegwitAddress: Decodable, Sendable, CustomTestStringConvertible {
        var address: String
        var scriptPubKey: String
        var testDescription: String { self.address }
    }

    struct BIP173File: Decodable, Sendable {
        var source: String
        var validChecksum: [String]
        var invalidChecksum: [InvalidString]
        var validSegwit: [SegwitAddress]
        var invalidSegwit: [InvalidString]
    }

    static let file = Result { try Vectors.load("bip173-bech32", as: BIP173File.self) }

    @Test("BIP-173 valid checksums", arguments: try Self.file.get().validChecksum)
    func validChecksum(_ string: String) throws {
        let (hrp, groups) = try Bech32.decodeFiveBitGroups(string)
        #expect(hrp == hrp.lowercased())
        #expect(Bech32.encode(humanReadablePart: hrp, fiveBitGroups: groups) == string.lowercased())
        // Any single changed character breaks the checksum.
        var characters = Array(string.lowercased())
        let position = characters.count - 1
        characters[position] = characters[position] == "q" ? "p" : "q"
        #expect(throws: CodecError.self) { try Bech32.decodeFiveBitGroups(String(characters)) }
    }

    @Test("BIP-173 invalid strings", arguments: try Self.file.get().invalidChecksum)
    func invalidChecksum(_ vector: InvalidString) {
        #expect(throws: CodecError.self) { try Bech32.decodeFiveBitGroups(vector.string) }
        #expect(throws: CodecError.self) { try Bech32.decode(vector.string) }
    }

    @Test("BIP-173 valid segwit addresses decode to their script", arguments: try Self.file.get().validSegwit)
    func validSegwit(_ vector: SegwitAddress) throws {
        let (_, groups) = try Bech32.decodeFiveBitGroups(vector.address)
        let version = try #require(groups.first)
        let program = try Bech32.regroup(fiveBit: Array(groups.dropFirst()))
        let script = [version == 0 ? 0 : version + 0x50, UInt8(program.count)] + program
        #expect(script.hexString == vector.scriptPubKey)
        #expect(Bech32.regroup(eightBit: program) == Array(groups.dropFirst()))
    }

    @Test("BIP-173 segwit strings with bech32-level faults", arguments: try Self.file.get().invalidSegwit)
    func invalidSegwit(_ vector: InvalidString) {
        #expect(throws: CodecError.self) {
            let (_, groups) = try Bech32.decodeFiveBitGroups(vector.string)
            _ = try Bech32.regroup(fiveBit: Array(groups.dropFirst()))
        }
    }

    @Test("byte payloads round-trip for every length that fits in 90 characters")
    func byteRoundTrip() throws {
        var generator = SeededGenerator(seed: 173)
        // "test1" + 6 checksum characters leave 79 five-bit groups: 49 bytes.
        for length in 0...49 {
            let data = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let string = Bech32.encode(humanReadablePart: "test", data: data)
            let decoded = try Bech32.decode(string)
            #expect(decoded.humanReadablePart == "test")
            #expect(decoded.data == data)
            #expect(try Bech32.decode(string.uppercased()).data == data)
        }
        let tooLong = Bech32.encode(humanReadablePart: "test", data: [UInt8](repeating: 0, count: 50))
        #expect(throws: CodecError.invalidBech32(reason: "overall length 91 exceeds 90")) {
            try Bech32.decode(tooLong)
        }
    }

    @Test("specific failures name their reason")
    func reasons() {
        #expect(throws: CodecError.invalidBech32(reason: "mixed upper and lower case")) {
            try Bech32.decode("A12uel5l")
        }
        #expect(throws: CodecError.invalidBech32(reason: "no separator character '1'")) {
            try Bech32.decode("pzry9x0s0muk")
        }
        #expect(throws: CodecError.invalidBech32(reason: "invalid checksum")) {
            try Bech32.decode("a12uel5m")
        }
    }
}
