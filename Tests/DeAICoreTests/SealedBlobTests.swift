// Sealed blobs: only a recipient's key opens them, in their own context, and a restart seals the same bytes.

import DeAICore
import Testing

@Suite("Sealed blobs")
struct SealedBlobTests {
    static let evaluators = (1...3).map { SealingKey(deriving: Array("evaluator \($0)".utf8)) }
    static let context = Array("task 1 round 2 trainer x".utf8)
    static let update = (0..<4_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }

    @Test("HPKE with a derived ephemeral key gives RFC 9180's test vector (A.2.1: X25519, HKDF-SHA256, ChaCha20-Poly1305), and swift-crypto opens it")
    func rfcVector() throws {
        let recipient = try SealingPublicKey(rawRepresentation: try [UInt8](hexString: "4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a"))
        let info = try [UInt8](hexString: "4f6465206f6e2061204772656369616e2055726e")
        let aad = try [UInt8](hexString: "436f756e742d30")
        let plaintext = try [UInt8](hexString: "4265617574792069732074727574682c20747275746820626561757479")
        let sealed = try DeterministicHPKE.seal(
            plaintext, to: recipient, info: info, aad: aad,
            ikmE: try [UInt8](hexString: "909a9b35d3dc4713a5e72a4da274b55d3d3821a37e5d099e74a647db583a904b"))
        #expect(sealed.encapsulatedKey.hexString == "1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a")
        #expect(sealed.ciphertext.hexString == "1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db21993c62ce81883d2dd1b51a28")
        let key = try SealingKey(rawRepresentation: try [UInt8](hexString: "8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb"))
        #expect(key.publicKey == recipient)
        #expect(try DeterministicHPKE.open(sealed.ciphertext, encapsulatedKey: sealed.encapsulatedKey, with: key, info: info, aad: aad) == plaintext)
    }

    @Test("every recipient opens the update; the blob holds no run of it, and another key cannot open it")
    func onlyRecipientsRead() throws {
        let blob = try SealedBlob.seal(
            Self.update, to: Self.evaluators.map(\.publicKey), context: Self.context, secret: Array("trainer seed".utf8))
        #expect(SealedBlob.isSealed(blob))
        for evaluator in Self.evaluators {
            #expect(try SealedBlob.open(blob, with: evaluator, context: Self.context) == Self.update)
        }
        let run = Self.update.prefix(16)
        #expect(!(0...(blob.count - run.count)).contains { blob[$0..<($0 + run.count)].elementsEqual(run) })
        let outsider = SealingKey(deriving: Array("someone else".utf8))
        #expect(throws: SealingError.notARecipient(outsider.publicKey)) {
            try SealedBlob.open(blob, with: outsider, context: Self.context)
        }
    }

    @Test("a blob sealed to other keys than the ones it must be sealed to is refused, even by a recipient")
    func recipientsAreChecked() throws {
        let keys = Self.evaluators.map(\.publicKey).sorted()
        let blob = try SealedBlob.seal(Self.update, to: Array(keys.dropLast()), context: Self.context, secret: [9])
        let member = try #require(Self.evaluators.first { keys.dropLast().contains($0.publicKey) })
        #expect(try SealedBlob.open(blob, with: member, context: Self.context) == Self.update)
        #expect(throws: SealingError.otherRecipients) {
            try SealedBlob.open(blob, with: member, context: Self.context, recipients: keys)
        }
    }

    @Test("points of small order are refused as sealing keys: they would make every shared secret zero")
    func smallOrderKeysAreRefused() throws {
        var one = [UInt8](repeating: 0, count: 32)
        one[0] = 1
        for bytes in [[UInt8](repeating: 0, count: 32), one] {
            #expect(throws: CodecError.self) { try SealingPublicKey(rawRepresentation: bytes) }
        }
        #expect(throws: CodecError.self) { try SealingPublicKey(rawRepresentation: [UInt8](repeating: 9, count: 31)) }
    }

    @Test("a sealed blob opens only in its own context and untampered")
    func contextAndTampering() throws {
        let blob = try SealedBlob.seal(
            Self.update, to: Self.evaluators.map(\.publicKey), context: Self.context, secret: Array("trainer seed".utf8))
        #expect(throws: SealingError.authenticationFailed) {
            try SealedBlob.open(blob, with: Self.evaluators[0], context: Array("task 1 round 3 trainer x".utf8))
        }
        for position in [blob.count - 1, blob.count / 2, 60] {
            var tampered = blob
            tampered[position] ^= 1
            #expect(throws: SealingError.self) { try SealedBlob.open(tampered, with: Self.evaluators[1], context: Self.context) }
        }
        #expect(throws: SealingError.self) { try SealedBlob.open(Array(blob.prefix(40)), with: Self.evaluators[1], context: Self.context) }
    }

    @Test("a sender that gives one evaluator a junk or a different key is refused by every evaluator alike")
    func everyRecipientOrNone() throws {
        let keys = Self.evaluators.map(\.publicKey)
        let blob = try SealedBlob.seal(Self.update, to: keys, context: Self.context, secret: Array("trainer seed".utf8))
        let victim = Self.evaluators[1]
        // The victim's copy follows its public key in the blob: 32 bytes of encapsulated key, 48 of sealed key.
        let raw = victim.publicKey.rawRepresentation
        let start = try #require((0...(blob.count - raw.count)).first { blob[$0..<($0 + raw.count)].elementsEqual(raw) }) + raw.count
        var junk = blob
        junk[start + 40] ^= 0x5A
        // A well-formed HPKE copy of another content key: it opens for the victim, but not the content.
        let other = try DeterministicHPKE.seal(
            [UInt8](repeating: 3, count: 32), to: victim.publicKey, info: Self.context, aad: [], ikmE: [UInt8](repeating: 4, count: 32))
        var different = blob
        different.replaceSubrange(start..<(start + 80), with: other.encapsulatedKey + other.ciphertext)
        for forged in [junk, different] {
            for evaluator in Self.evaluators where evaluator.publicKey != victim.publicKey {
                #expect(throws: SealingError.inconsistentCopies(victim.publicKey)) {
                    try SealedBlob.open(forged, with: evaluator, context: Self.context)
                }
            }
            #expect(throws: SealingError.self) { try SealedBlob.open(forged, with: victim, context: Self.context) }
        }
    }

    @Test("sealing is deterministic in the sender's secret and the message, so a restarted trainer makes the same blob")
    func deterministic() throws {
        let keys = Self.evaluators.map(\.publicKey)
        let first = try SealedBlob.seal(Self.update, to: keys, context: Self.context, secret: [1, 2, 3])
        #expect(try SealedBlob.seal(Self.update, to: keys.reversed(), context: Self.context, secret: [1, 2, 3]) == first)
        #expect(try SealedBlob.seal(Self.update, to: keys, context: Self.context, secret: [1, 2, 4]) != first)
        var other = Self.update
        other[0] ^= 1
        #expect(try SealedBlob.seal(other, to: keys, context: Self.context, secret: [1, 2, 3]) != first)
        #expect(throws: SealingError.noRecipients) { try SealedBlob.seal(Self.update, to: [], context: [], secret: [1]) }
    }
}
