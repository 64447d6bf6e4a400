// DeAICoreTests: bech32 account addresses.

import DeAICore
import DeAITesting
import Foundation
import Testing

@Suite("Address")
struct AddressTests {
    @Test("an address is the first 20 bytes of SHA-256 of the public key")
    func derivation() {
        let key = TestKeys.signingKey(0).verifyingKey
        let address = key.address
        #expect(address.bytes == Array(SHA256Digest(hashing: key.rawRepresentation).bytes.prefix(20)))
        #expect(address == Address(publicKey: key))
        #expect(address.description.hasPrefix("deai1"))
        #expect(address.description.count == 4 + 1 + 32 + 6)
    }

    @Test("bech32, string, canonical and JSON round trips")
    func roundTrips() throws {
        for index in 0..<20 {
            let address = TestKeys.signingKey(index).verifyingKey.address
            #expect(try Address(bech32: address.description) == address)
            #expect(try Address(bech32: address.description.uppercased()) == address)
            #expect(Address(address.description) == address)
            #expect(try Address(bytes: address.bytes) == address)
            #expect(address.canonicalEncoding == address.bytes)
            #expect(try Address(canonicalEncoding: address.canonicalEncoding) == address)
            let json = try JSONEncoder().encode([address])
            #expect(String(decoding: json, as: UTF8.self) == "[\"\(address.description)\"]")
            #expect(try JSONDecoder().decode([Address].self, from: json) == [address])
        }
    }

    @Test("a wrong prefix is an invalid address")
    func wrongPrefix() throws {
        let address = TestKeys.signingKey(1).verifyingKey.address
        let foreign = Bech32.encode(humanReadablePart: "cosmos", data: address.bytes)
        #expect(throws: CodecError.invalidAddress(reason: "prefix 'cosmos' is not 'deai'")) {
            try Address(bech32: foreign)
        }
        #expect(Address(foreign) == nil)
    }

    @Test("a bad checksum, a wrong length or a mixed case is rejected")
    func rejections() {
        let string = TestKeys.signingKey(2).verifyingKey.address.description
        var characters = Array(string)
        characters[10] = characters[10] == "q" ? "p" : "q"
        #expect(throws: CodecError.invalidBech32(reason: "invalid checksum")) {
            try Address(bech32: String(characters))
        }
        let short = Bech32.encode(humanReadablePart: "deai", data: [UInt8](repeating: 1, count: 19))
        #expect(throws: CodecError.invalidAddress(reason: "payload is 19 bytes, an address is 20")) {
            try Address(bech32: short)
        }
        #expect(throws: CodecError.self) { try Address(bech32: "Deai" + string.dropFirst(4)) }
        #expect(throws: CodecError.invalidLength(expected: 20, actual: 21)) {
            try Address(bytes: [UInt8](repeating: 0, count: 21))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Address].self, from: Data("[\"deai1qqqq\"]".utf8))
        }
    }

    @Test("ordering is lexicographic by bytes")
    func ordering() {
        let addresses = (0..<50).map { TestKeys.signingKey($0).verifyingKey.address }
        let byBytes = addresses.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        #expect(addresses.sorted() == byBytes)
    }
}
