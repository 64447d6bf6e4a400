// DeAICoreTests: Ed25519 keys and signatures.

import DeAICore
import DeAITesting
import Foundation
import Testing

@Suite("Ed25519 keys")
struct KeysTests {
    struct RFC8032Vector: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var secretKey: String
        var publicKey: String
        var message: String
        var signature: String
        var testDescription: String { self.name }
    }

    @Test(
        "RFC 8032 section 7.1 vectors",
        arguments: try Vectors.load("rfc8032-ed25519", as: VectorFile<RFC8032Vector>.self).vectors
    )
    func rfc8032(_ vector: RFC8032Vector) throws {
        let signingKey = try SigningKey(rawRepresentation: try [UInt8](hexString: vector.secretKey))
        let message = try [UInt8](hexString: vector.message)
        let expected = try Signature(rawRepresentation: try [UInt8](hexString: vector.signature))
        #expect(signingKey.rawRepresentation.hexString == vector.secretKey)
        #expect(signingKey.verifyingKey.rawRepresentation.hexString == vector.publicKey)
        let verifyingKey = try VerifyingKey(rawRepresentation: try [UInt8](hexString: vector.publicKey))
        #expect(verifyingKey == signingKey.verifyingKey)
        #expect(verifyingKey.isValidSignature(expected, for: message))
        let produced = try signingKey.signature(for: message)
        #expect(verifyingKey.isValidSignature(produced, for: message))
        #if os(Linux)
        // BoringSSL signs deterministically, as RFC 8032 specifies; CryptoKit on Apple platforms adds randomness.
        #expect(produced == expected)
        #endif
    }

    @Test("a signature fails for another message, a flipped bit or another key")
    func tampering() throws {
        let key = TestKeys.signingKey(1)
        let message = Array("transfer 10 to deai1…".utf8)
        let signature = try key.signature(for: message)
        #expect(key.verifyingKey.isValidSignature(signature, for: message))
        #expect(!key.verifyingKey.isValidSignature(signature, for: message + [0]))
        #expect(!TestKeys.signingKey(2).verifyingKey.isValidSignature(signature, for: message))
        for bit in [0, 7, 100, 255, 256, 300, 511] {
            var raw = signature.rawRepresentation
            raw[bit / 8] ^= 1 << UInt8(bit % 8)
            let flipped = try Signature(rawRepresentation: raw)
            #expect(!key.verifyingKey.isValidSignature(flipped, for: message), "bit \(bit)")
        }
    }

    @Test("malformed lengths are errors, not crashes")
    func malformedLengths() {
        for length in [0, 1, 31, 33, 64] {
            let bytes = [UInt8](repeating: 7, count: length)
            #expect(throws: CodecError.self) { try SigningKey(rawRepresentation: bytes) }
            #expect(throws: CodecError.self) { try VerifyingKey(rawRepresentation: bytes) }
        }
        for length in [0, 32, 63, 65] {
            #expect(throws: CodecError.invalidLength(expected: 64, actual: length)) {
                try Signature(rawRepresentation: [UInt8](repeating: 7, count: length))
            }
        }
    }

    @Test("garbage keys and signatures never verify")
    func garbage() throws {
        var generator = SeededGenerator(seed: 2024)
        let message = Array("hello".utf8)
        for _ in 0..<64 {
            let keyBytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let signatureBytes = (0..<64).map { _ in UInt8.random(in: 0...255, using: &generator) }
            guard let key = try? VerifyingKey(rawRepresentation: keyBytes) else {
                continue
            }
            #expect(!key.isValidSignature(try Signature(rawRepresentation: signatureBytes), for: message))
        }
        let allOnes = try VerifyingKey(rawRepresentation: [UInt8](repeating: 0xFF, count: 32))
        let signature = try Signature(rawRepresentation: [UInt8](repeating: 0xFF, count: 64))
        #expect(!allOnes.isValidSignature(signature, for: message))
    }

    @Test("test keys are deterministic and distinct")
    func testKeys() {
        #expect(TestKeys.signingKey(3).rawRepresentation == TestKeys.signingKey(3).rawRepresentation)
        #expect(TestKeys.signingKey(3).verifyingKey != TestKeys.signingKey(4).verifyingKey)
        #expect(SigningKey().verifyingKey != SigningKey().verifyingKey)
    }

    @Test("keys and signatures round-trip through the canonical encoding and JSON")
    func coding() throws {
        let key = TestKeys.signingKey(5)
        let verifyingKey = key.verifyingKey
        let signature = try key.signature(for: [1, 2, 3])
        #expect(verifyingKey.canonicalEncoding == verifyingKey.rawRepresentation)
        #expect(try VerifyingKey(canonicalEncoding: verifyingKey.canonicalEncoding) == verifyingKey)
        #expect(signature.canonicalEncoding == signature.rawRepresentation)
        #expect(try Signature(canonicalEncoding: signature.canonicalEncoding) == signature)
        let json = try JSONEncoder().encode([verifyingKey])
        #expect(String(decoding: json, as: UTF8.self) == "[\"\(verifyingKey.rawRepresentation.hexString)\"]")
        #expect(try JSONDecoder().decode([VerifyingKey].self, from: json) == [verifyingKey])
        let signatureJSON = try JSONEncoder().encode([signature])
        #expect(try JSONDecoder().decode([Signature].self, from: signatureJSON) == [signature])
        #expect(verifyingKey.description == verifyingKey.rawRepresentation.hexString)
    }
}
