// ConsensusTests: the pure chain core proposes, validates and applies decided blocks, and nothing else.

import Consensus
import DeAICore
import DeAITesting
import Ledger
import Testing

struct ChainCoreTests {
    static func genesisCore() throws -> ChainCore {
        let producer = try TestBlockProducer(genesis: ChainFixtures.genesis())
        return ChainCore(genesisHash: producer.genesisHash, state: producer.state)
    }

    /// The fixtures' one validator's precommit of `header`, signed with `key`.
    static func commit(for header: BlockHeader, key: SigningKey = ChainFixtures.consensusKey) throws -> Commit {
        var commit = Commit(height: header.height, round: 0, blockHash: header.hash, signatures: [])
        let vote = commit.vote(chainID: ChainFixtures.chainID, validator: ChainFixtures.validatorAddress)
        commit.signatures = [try CommitSignature(signing: vote, with: key)]
        return commit
    }

    static func transfers(nonce: UInt64) -> [VerifiedTransaction] {
        [
            VerifiedTransaction(ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 10, nonce: nonce)),
            VerifiedTransaction(ChainFixtures.transfer(from: 3, to: ChainFixtures.address(4), amount: 7, nonce: nonce)),
        ]
    }

    @Test("another core validates a proposed block to the same state, and both apply it once decided")
    func proposeValidateApply() throws {
        var proposer = try Self.genesisCore()
        var follower = try Self.genesisCore()
        for height: Height in 1...3 {
            let proposal = proposer.propose(
                from: Self.transfers(nonce: height - 1), time: ChainFixtures.genesisTime + height * 1_000,
                proposer: ChainFixtures.validatorAddress)
            #expect(proposal.dropped.isEmpty && proposal.deferred.isEmpty)
            let validated = try follower.validate(proposal.block)
            #expect(validated.commitment.root == proposal.block.header.stateRoot)
            #expect(validated.outcome.receipts == proposal.executed.outcome.receipts)
            let commit = try Self.commit(for: proposal.block.header)
            try proposer.apply(proposal.executed, commit: commit)
            try follower.apply(validated, commit: commit)
            #expect(proposer.height == height && follower.height == height)
            #expect(follower.commitment.root == proposer.commitment.root)
            #expect(follower.lastCommit == commit)
        }
        #expect(follower.state.account(ChainFixtures.address(2)).balance == ChainFixtures.balance + 30)
    }

    @Test("a proposal raises a time before the previous block's and leaves invalid transactions out")
    func proposalKeepsTheRules() throws {
        var core = try Self.genesisCore()
        let first = core.propose(from: [], time: ChainFixtures.genesisTime + 5_000, proposer: ChainFixtures.validatorAddress)
        try core.apply(first.executed, commit: try Self.commit(for: first.block.header))
        let replayed = Self.transfers(nonce: 0) + [
            VerifiedTransaction(ChainFixtures.transfer(from: 5, to: ChainFixtures.address(6), amount: 1, nonce: 4))
        ]
        let second = core.propose(from: replayed, time: ChainFixtures.genesisTime, proposer: ChainFixtures.validatorAddress)
        #expect(second.block.header.time == ChainFixtures.genesisTime + 5_000)
        #expect(second.block.transactions.count == 2)
        #expect(second.dropped.map(\.transaction.hash) == [replayed[2].hash])
    }

    @Test("a commit that does not decide the block changes nothing")
    func undecidedBlocksAreNotApplied() throws {
        var core = try Self.genesisCore()
        let proposal = core.propose(
            from: Self.transfers(nonce: 0), time: ChainFixtures.genesisTime + 1_000, proposer: ChainFixtures.validatorAddress)
        let root = core.commitment.root
        let strangerSigned = try Self.commit(for: proposal.block.header, key: ChainFixtures.key(7))
        #expect(throws: LedgerError.self) { try core.apply(proposal.executed, commit: strangerSigned) }
        var otherBlock = try Self.commit(for: proposal.block.header)
        otherBlock.blockHash = SHA256Digest(hashing: [1, 2, 3])
        #expect(throws: LedgerError.self) { try core.apply(proposal.executed, commit: otherBlock) }
        #expect(core.height == 0 && core.commitment.root == root && core.lastCommit == nil)
    }

    @Test("a block that does not carry the previous block's commit, or does not follow it, is refused")
    func blocksMustChain() throws {
        var core = try Self.genesisCore()
        let first = core.propose(from: [], time: ChainFixtures.genesisTime + 1_000, proposer: ChainFixtures.validatorAddress)
        // Proposed on the genesis state, so it names no commit and follows genesis.
        let stale = core.propose(from: [], time: ChainFixtures.genesisTime + 1_000, proposer: ChainFixtures.validatorAddress)
        try core.apply(first.executed, commit: try Self.commit(for: first.block.header))
        #expect(throws: LedgerError.self) { _ = try core.validate(stale.block) }
        #expect(throws: LedgerError.self) {
            try core.apply(stale.executed, commit: try Self.commit(for: stale.block.header))
        }
        #expect(core.height == 1)
    }
}
