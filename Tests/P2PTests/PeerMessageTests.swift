// Peer addresses parse from `KEY@HOST:PORT` or say what is wrong; peer messages round-trip, and no byte string
// crashes their decoder.

import Consensus
import DeAICore
import DeAITesting
import Foundation
import P2P
import Testing

struct PeerMessageTests {
    static let key = TestKeys.signingKey(900).verifyingKey

    @Test("KEY@HOST:PORT parses and prints back, IPv6 in brackets")
    func addressRoundTrip() throws {
        for text in ["\(Self.key)@127.0.0.1:26656", "\(Self.key)@node-3.example:1", "\(Self.key)@[::1]:65535"] {
            let address = try PeerAddress(parsing: text)
            #expect(address.description == text)
            #expect(address.key == Self.key)
        }
    }

    @Test("a malformed address names its wrong part", arguments: [
        ("127.0.0.1:26656", "not KEY@HOST:PORT"), ("abc@127.0.0.1:26656", "node key"),
        ("KEY@127.0.0.1", "port"), ("KEY@127.0.0.1:0", "port"), ("KEY@:26656", "host"),
    ])
    func badAddress(_ text: String, _ part: String) {
        let text = text.replacingOccurrences(of: "KEY", with: Self.key.description)
        #expect {
            try PeerAddress(parsing: text)
        } throws: { error in
            "\(error)".contains(part) && "\(error)".contains(text)
        }
    }

    @Test("every kind of peer message survives encoding")
    func messageRoundTrip() throws {
        let address = PeerAddress(key: Self.key, host: "10.0.0.7", port: 26656)
        let hash = SHA256Digest(hashing: [1, 2])
        for message: PeerMessage in [
            .consensus(.catchUp(from: 9)), .addressRequest, .addresses([address, address]), .blobRequest(hash), .blob([1, 2]),
            .blob([]), .blobMissing(hash),
        ] {
            #expect(try PeerMessage(frame: message.encoding) == message)
        }
    }

    @Test("random and truncated frames are refused with an error, never a crash")
    func fuzz() {
        var generator = SeededGenerator(seed: 12)
        let valid = PeerMessage.addresses([PeerAddress(key: Self.key, host: "h", port: 1)]).encoding
        for round in 0..<5_000 {
            var frame: [UInt8]
            if round % 2 == 0 {
                frame = (0..<Int.random(in: 0..<64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                frame = Array(valid.prefix(Int.random(in: 0..<valid.count, using: &generator)))
            }
            _ = try? PeerMessage(frame: frame)
        }
        #expect(throws: CodecError.self) { try PeerMessage(frame: valid + [0]) }
    }
}
