// ConsensusTests: the parts of Tendermint — proposer rotation, vote counting, the signing record, evidence.

import Consensus
import DeAICore
import DeAITesting
import Ledger
import Testing

struct TendermintPartsTests {
    /// A set of validators with `powers` and their keys, both in the set's (address) order.
    static func validators(powers: [Amount]) -> (ValidatorSet, [SigningKey]) {
        let keys = powers.indices.map { TestKeys.signingKey(30_000 + $0) }
        let members = zip(keys, powers).map { key, power in
            ValidatorSet.Member(address: key.verifyingKey.address, consensusKey: key.verifyingKey, power: power)
        }
        let set = ValidatorSet(members: members)
        return (set, set.members.map { member in keys.first { $0.verifyingKey.address == member.address }! })
    }

    @Test("proposers rotate in proportion to power, never in long runs, from the set, height and round alone")
    func proposerRotation() throws {
        let (set, _) = Self.validators(powers: [100, 200, 300, 400])
        var counts: [Address: Int] = [:]
        var longestRun = 0
        var run = 0
        var previous: Address?
        for height: Height in 1...10_000 {
            let proposer = try #require(set.proposer(height: height, round: 0)).address
            counts[proposer, default: 0] += 1
            run = proposer == previous ? run + 1 : 1
            longestRun = max(longestRun, run)
            previous = proposer
        }
        for member in set.members {
            let share = Double(counts[member.address, default: 0]) / 10_000
            #expect(abs(share - Double(member.power) / 1_000) < 0.01, "\(member.power): \(share)")
        }
        #expect(longestRun <= 3)
        // The next round of a height is the next slot.
        #expect(set.proposer(height: 5, round: 1) == set.proposer(height: 6, round: 0))
        #expect(ValidatorSet(members: []).proposer(height: 1, round: 0) == nil)
    }

    @Test("an equivocator's two votes each count for their block, but its power counts once in the total")
    func stepVotes() throws {
        let (set, keys) = Self.validators(powers: [10, 10, 10, 10])
        let block = SHA256Digest(hashing: [1])
        func vote(_ index: Int, _ hash: SHA256Digest?) throws -> SignedVote {
            try SignedVote(
                signing: Vote(kind: .prevote, chainID: "c", height: 1, round: 0, blockHash: hash, validator: set.members[index].address),
                with: keys[index])
        }
        var votes = StepVotes()
        #expect(votes.add(try vote(0, block), power: 10) == .added)
        #expect(votes.add(try vote(0, block), power: 10) == .ignored)
        let first = try vote(1, block)
        #expect(votes.add(first, power: 10) == .added)
        #expect(votes.add(try vote(1, nil), power: 10) == .conflicting(first))
        #expect(votes.add(try vote(1, SHA256Digest(hashing: [2])), power: 10) == .ignored)
        #expect(votes.power == 20)
        #expect(votes.power(for: block) == 20 && votes.power(for: nil) == 10)
        #expect(votes.signatures(for: block).map(\.validator) == [set.members[0].address, set.members[1].address].sorted())
        #expect(set.isSupermajority(31) && !set.isSupermajority(26) && set.exceedsOneThird(14) && !set.exceedsOneThird(13))
    }

    @Test("the signing record signs forward, repeats the last message, and refuses a conflict or a step back")
    func signingRecord() {
        var record = SigningRecord()
        let a = SHA256Digest(hashing: [1])
        let b = SHA256Digest(hashing: [2])
        #expect(record.check(height: 5, round: 0, step: .prevote, blockHash: a) == .sign)
        let vote = Vote(kind: .prevote, chainID: "c", height: 5, round: 0, blockHash: a, validator: ChainFixtures.address(0))
        record.record(vote)
        #expect(record.check(vote) == .repeatLast)
        #expect(record.check(height: 5, round: 0, step: .prevote, blockHash: b) != .sign)
        #expect(record.check(height: 5, round: 0, step: .prevote, blockHash: nil) != .sign)
        #expect(record.check(height: 5, round: 0, step: .proposal, blockHash: a) != .sign)
        #expect(record.check(height: 4, round: 9, step: .precommit, blockHash: a) != .sign)
        #expect(record.check(height: 5, round: 0, step: .precommit, blockHash: b) == .sign)
        #expect(record.check(height: 5, round: 1, step: .proposal, blockHash: b) == .sign)
        #expect(record.check(height: 6, round: 0, step: .proposal, blockHash: b) == .sign)
    }

    @Test("two conflicting signed votes prove a double-sign; anything less does not")
    func evidence() throws {
        let key = TestKeys.signingKey(40_000)
        let vote = Vote(kind: .precommit, chainID: "c", height: 3, round: 1, blockHash: SHA256Digest(hashing: [1]), validator: key.verifyingKey.address)
        var other = vote
        other.blockHash = nil
        let first = try SignedVote(signing: vote, with: key)
        let second = try SignedVote(signing: other, with: key)
        let evidence = DuplicateVoteEvidence(first, second)
        #expect(evidence == DuplicateVoteEvidence(second, first))
        try evidence.verify(key: key.verifyingKey)
        #expect(throws: LedgerError.self) { try DuplicateVoteEvidence(first, first).verify(key: key.verifyingKey) }
        var laterRound = other
        laterRound.round = 2
        #expect(throws: LedgerError.self) {
            try DuplicateVoteEvidence(first, try SignedVote(signing: laterRound, with: key)).verify(key: key.verifyingKey)
        }
        #expect(throws: LedgerError.self) { try evidence.verify(key: TestKeys.signingKey(40_001).verifyingKey) }
        let decoded = try DuplicateVoteEvidence(canonicalEncoding: evidence.canonicalEncoding)
        #expect(decoded == evidence)
    }

    @Test("a vote for nothing and a vote for a block sign different bytes under the version 2 domain")
    func voteEncoding() throws {
        let vote = Vote(kind: .prevote, chainID: "c", height: 1, round: 0, blockHash: nil, validator: ChainFixtures.address(0))
        var forBlock = vote
        forBlock.blockHash = SHA256Digest(hashing: [])
        #expect(vote.signingBytes != forBlock.signingBytes)
        #expect(vote.signingBytes.starts(with: Array("DEAI/VOTE/V2\u{0}".utf8)))
        #expect(try Vote(canonicalEncoding: vote.canonicalEncoding) == vote)
        #expect(try Vote(canonicalEncoding: forBlock.canonicalEncoding) == forBlock)
        var bad = vote.canonicalEncoding
        bad[0] = 9
        #expect(throws: CodecError.self) { try Vote(canonicalEncoding: bad) }
    }
}
