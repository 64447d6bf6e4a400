// ConsensusTests: what the driver makes of a peer that lies — forged votes and decided blocks without a commit.

import Consensus
import DeAICore
import DeAITesting
import Ledger
import Testing

struct ConsensusDriverTests {
    static let liar = PeerID("liar")

    /// A following driver at height 1 of a four-validator chain, and its core.
    static func follower() throws -> (ConsensusDriver<PeerID>, ChainCore) {
        let core = try TestBlockProducer(genesis: ChainFixtures.genesis(validators: 4)).core
        var driver = ConsensusDriver<PeerID>(me: nil, timeouts: .local)
        _ = driver.startHeight(on: core)
        return (driver, core)
    }

    static func isMisbehaving(_ outputs: [ConsensusDriver<PeerID>.Output], by peer: PeerID) -> Bool {
        outputs.contains { output in
            if case .misbehaving(let offender, _) = output { offender == peer } else { false }
        }
    }

    @Test("a vote that its validator did not sign marks its sender as misbehaving and is never gossiped on")
    func forgedVote() throws {
        var (driver, core) = try Self.follower()
        let validator = try #require(core.validatorSet.members.first)
        let vote = Vote(kind: .prevote, chainID: core.chainID, height: 1, round: 0, blockHash: nil, validator: validator.address)
        let forged = try SignedVote(signing: vote, with: ChainFixtures.key(5))

        #expect(Self.isMisbehaving(driver.receive(.vote(forged), from: Self.liar), by: Self.liar))
        #expect(driver.gossip().isEmpty)

        let genuine = try SignedVote(signing: vote, with: ChainFixtures.consensusKey(ofValidator: Self.index(of: validator.address, in: core)))
        #expect(!Self.isMisbehaving(driver.receive(.vote(genuine), from: PeerID("honest")), by: PeerID("honest")))
        #expect(driver.gossip().count == 1)
    }

    @Test("a decided block whose commit lacks two thirds of the power marks its sender and is not applied")
    func decidedWithoutCommit() throws {
        var (driver, core) = try Self.follower()
        let block = core.propose(from: [], time: ChainFixtures.genesisTime + 1, proposer: core.validatorSet.members[0].address).executed.block
        let member = core.validatorSet.members[0]
        let precommit = Vote(kind: .precommit, chainID: core.chainID, height: 1, round: 0, blockHash: block.hash, validator: member.address)
        let signature = try CommitSignature(signing: precommit, with: ChainFixtures.consensusKey(ofValidator: Self.index(of: member.address, in: core)))
        let oneOfFour = Commit(height: 1, round: 0, blockHash: block.hash, signatures: [signature])

        let outputs = driver.receive(.decided(block, oneOfFour), from: Self.liar)

        #expect(Self.isMisbehaving(outputs, by: Self.liar))
        #expect(!outputs.contains { if case .apply = $0 { true } else { false } })
        #expect(driver.machine != nil, "the height is still being decided")
    }

    /// The fixtures' index of the validator whose operator address is `address`.
    static func index(of address: Address, in core: ChainCore) -> Int {
        (0..<core.validatorSet.members.count).first { ChainFixtures.operatorKey(ofValidator: $0).verifyingKey.address == address }!
    }
}
