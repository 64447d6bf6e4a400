// Consensus messages on the wire: every kind round-trips, and bytes a peer made up are refused, never trusted.

import Consensus
import DeAICore
import DeAITesting
import Ledger
import Testing

@Suite("Consensus message codec")
struct ConsensusMessageCodecTests {
    /// One message of each kind, about the fixture chain's second block.
    static func messages() throws -> [ConsensusMessage] {
        var producer = try TestBlockProducer(genesis: ChainFixtures.genesis())
        _ = try producer.produce([ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 5, nonce: 0)])
        let produced = try producer.produce([ChainFixtures.transfer(from: 1, to: ChainFixtures.address(3), amount: 7, nonce: 1)])
        let key = ChainFixtures.consensusKey
        let proposal = BlockProposal(height: 2, round: 3, validRound: 1, block: produced.block, proposer: ChainFixtures.validatorAddress)
        let vote = Vote(kind: .prevote, chainID: ChainFixtures.chainID, height: 2, round: 3, blockHash: nil, validator: ChainFixtures.validatorAddress)
        return [
            .proposal(try SignedProposal(signing: proposal, with: key)),
            .vote(try SignedVote(signing: vote, with: key)),
            .decided(produced.block, produced.commit),
            .catchUp(from: 12),
            .transactions(produced.block.transactions.map(\.canonicalEncoding) + [[]]),
        ]
    }

    @Test("every kind of message decodes to itself, and a signed one still verifies")
    func roundTrip() throws {
        for message in try Self.messages() {
            let decoded = try ConsensusMessage(canonicalEncoding: message.canonicalEncoding)
            #expect(decoded == message)
            #expect(decoded.canonicalEncoding == message.canonicalEncoding)
            if case .proposal(let signed) = decoded {
                #expect(signed.isSigned(by: ChainFixtures.consensusKey.verifyingKey))
            }
        }
    }

    @Test("truncated, extended, bit-flipped and random bytes are refused or decode to a valid message, never crash")
    func fuzz() throws {
        var random = SeededGenerator(seed: 2026)
        let encodings = try Self.messages().map(\.canonicalEncoding)
        var refused = 0
        for encoding in encodings {
            for cut in 0..<encoding.count where (try? ConsensusMessage(canonicalEncoding: Array(encoding[..<cut]))) == nil {
                refused += 1
            }
            #expect(throws: CodecError.self) { try ConsensusMessage(canonicalEncoding: encoding + [0]) }
            for _ in 0..<500 {
                var flipped = encoding
                let index = Int(random.next() % UInt64(flipped.count))
                flipped[index] ^= UInt8(1 << (random.next() % 8))
                if let decoded = try? ConsensusMessage(canonicalEncoding: flipped) {
                    #expect(decoded.canonicalEncoding == flipped, "a non-canonical encoding was accepted")
                }
            }
        }
        for _ in 0..<2_000 {
            let length = Int(random.next() % 256)
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if let decoded = try? ConsensusMessage(canonicalEncoding: bytes) {
                #expect(decoded.canonicalEncoding == bytes)
            }
        }
        #expect(refused == encodings.reduce(0) { $0 + $1.count }, "a strict prefix of a message decoded")
    }
}
