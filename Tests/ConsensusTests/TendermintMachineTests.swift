// ConsensusTests: one height of Tendermint, message by message.

import Consensus
import DeAICore
import DeAITesting
import Ledger
import Testing

struct TendermintMachineTests {
    static let (set, keys) = TendermintPartsTests.validators(powers: [10, 10, 10, 10])

    /// Two different blocks of height 1 of the fixtures' chain.
    static func blocks() throws -> (Block, Block) {
        let producer = try TestBlockProducer(genesis: ChainFixtures.genesis())
        let core = ChainCore(genesisHash: producer.genesisHash, state: producer.state)
        let proposer = ChainFixtures.validatorAddress
        return (core.propose(from: [], time: ChainFixtures.genesisTime + 1, proposer: proposer).block,
                core.propose(from: [], time: ChainFixtures.genesisTime + 2, proposer: proposer).block)
    }

    static func machine(_ index: Int) -> TendermintMachine {
        TendermintMachine(chainID: ChainFixtures.chainID, height: 1, validators: set, me: set.members[index].address, timeouts: .local)
    }

    static func index(of address: Address) -> Int { set.members.firstIndex { $0.address == address }! }

    static func signed(_ vote: Vote) throws -> SignedVote {
        try SignedVote(signing: vote, with: keys[index(of: vote.validator)])
    }

    static func signed(_ proposal: BlockProposal) throws -> SignedProposal {
        try SignedProposal(signing: proposal, with: keys[index(of: proposal.proposer)])
    }

    static func vote(_ kind: Vote.Kind, round: UInt32, for block: Block?, by index: Int) throws -> SignedVote {
        try signed(Vote(kind: kind, chainID: ChainFixtures.chainID, height: 1, round: round, blockHash: block?.hash, validator: set.members[index].address))
    }

    /// Runs four machines with instant, lossless delivery until nothing is left to deliver; `silent` validators
    /// send nothing. Returns the decisions.
    static func runAll(block: Block, silent: Set<Int> = [], rounds: Int = 3) throws -> [Commit?] {
        var machines = (0..<4).map(machine)
        var inbox: [(Int, [ConsensusAction])] = machines.indices.map { ($0, machines[$0].start()) }
        var timeouts: [(Int, ConsensusTimeout)] = []
        var decisions: [Commit?] = Array(repeating: nil, count: 4)
        for _ in 0..<rounds {
            while let (index, actions) = inbox.popLast() {
                for action in actions {
                    switch action {
                    case .buildProposal:
                        inbox.append((index, machines[index].proposalBuilt(block)))
                    case .propose(let proposal) where !silent.contains(index):
                        let signed = try Self.signed(proposal)
                        for peer in machines.indices { inbox.append((peer, machines[peer].receive(signed, isValid: true))) }
                    case .vote(let vote) where !silent.contains(index):
                        let signed = try Self.signed(vote)
                        for peer in machines.indices { inbox.append((peer, machines[peer].receive(signed))) }
                    case .scheduleTimeout(let timeout, _):
                        timeouts.append((index, timeout))
                    case .decide(_, let commit):
                        decisions[index] = commit
                    default:
                        continue
                    }
                }
            }
            // Nothing left to deliver: every pending timeout fires, in order.
            let due = timeouts
            timeouts = []
            for (index, timeout) in due { inbox.append((index, machines[index].timeout(timeout))) }
        }
        return decisions
    }

    @Test("with every message delivered, all four decide the round-0 proposal with a commit of all four")
    func happyPath() throws {
        let (block, _) = try Self.blocks()
        let decisions = try Self.runAll(block: block)
        for decision in decisions {
            let commit = try #require(decision)
            #expect(commit.blockHash == block.hash && commit.round == 0)
            #expect(commit.signatures.count >= 3)
            try commit.verify(chainID: ChainFixtures.chainID, height: 1, blockHash: block.hash, validatorSet: Self.set)
        }
    }

    @Test("a silent round-0 proposer costs a round: the others time out, vote nil and decide in round 1")
    func silentProposer() throws {
        let (block, _) = try Self.blocks()
        let silent = Self.index(of: try #require(Self.machine(0).proposer(of: 0)))
        let decisions = try Self.runAll(block: block, silent: [silent], rounds: 6)
        for (index, decision) in decisions.enumerated() where index != silent {
            let commit = try #require(decision, "validator \(index) did not decide")
            #expect(commit.round >= 1 && commit.blockHash == block.hash)
        }
    }

    @Test("a validator locked on a block prevotes nil for another in a later round, and for it again when re-proposed")
    func locking() throws {
        let (a, b) = try Self.blocks()
        let proposer0 = Self.index(of: try #require(Self.machine(0).proposer(of: 0)))
        let proposer1 = Self.index(of: try #require(Self.machine(0).proposer(of: 1)))
        let me = (0..<4).first { $0 != proposer0 && $0 != proposer1 }!
        var machine = Self.machine(me)
        _ = machine.start()
        let proposalA = try Self.signed(BlockProposal(height: 1, round: 0, validRound: nil, block: a, proposer: Self.set.members[proposer0].address))
        #expect(machine.receive(proposalA, isValid: true).contains { if case .vote(let v) = $0 { v.blockHash == a.hash } else { false } })
        var actions: [ConsensusAction] = []
        for voter in (0..<4).filter({ $0 != me }) { actions += machine.receive(try Self.vote(.prevote, round: 0, for: a, by: voter)) }
        // More than two thirds prevoted A: it precommits A, locked.
        #expect(actions.contains { if case .vote(let v) = $0 { v.kind == .precommit && v.blockHash == a.hash } else { false } })
        for voter in (0..<4).filter({ $0 != me }) { _ = machine.receive(try Self.vote(.precommit, round: 0, for: nil, by: voter)) }
        _ = machine.timeout(ConsensusTimeout(height: 1, round: 0, step: .precommit))
        #expect(machine.round == 1)
        let proposalB = try Self.signed(BlockProposal(height: 1, round: 1, validRound: nil, block: b, proposer: Self.set.members[proposer1].address))
        let onB = machine.receive(proposalB, isValid: true)
        #expect(onB.contains { if case .vote(let v) = $0 { v.kind == .prevote && v.blockHash == nil } else { false } })
        // Re-proposed with round 0 as its valid round, A gets its prevote again (lockedRound 0 ≤ validRound 0).
        _ = machine.timeout(ConsensusTimeout(height: 1, round: 1, step: .precommit))
        #expect(machine.round == 2)
        let proposer2 = Self.index(of: try #require(machine.proposer(of: 2)))
        let reproposal = try Self.signed(BlockProposal(height: 1, round: 2, validRound: 0, block: a, proposer: Self.set.members[proposer2].address))
        let onA = machine.receive(reproposal, isValid: true)
        #expect(onA.contains { if case .vote(let v) = $0 { v.kind == .prevote && v.blockHash == a.hash } else { false } })
        #expect(machine.decision == nil)
    }

    @Test("forged, foreign and misattributed messages are ignored")
    func ignoresBadMessages() throws {
        let (a, _) = try Self.blocks()
        var machine = Self.machine(0)
        _ = machine.start()
        let proposer = try #require(machine.proposer(of: 0))
        let notProposer = Self.set.members.first { $0.address != proposer }!.address
        let wrongProposer = try Self.signed(BlockProposal(height: 1, round: 0, validRound: nil, block: a, proposer: notProposer))
        #expect(machine.receive(wrongProposer, isValid: true).isEmpty)
        var forged = try Self.vote(.prevote, round: 0, for: a, by: 1)
        forged.vote.round = 1
        #expect(machine.receive(forged).isEmpty)
        let outsider = TestKeys.signingKey(99)
        let foreign = try SignedVote(
            signing: Vote(kind: .prevote, chainID: ChainFixtures.chainID, height: 1, round: 0, blockHash: a.hash, validator: outsider.verifyingKey.address),
            with: outsider)
        #expect(machine.receive(foreign).isEmpty)
        #expect(machine.round == 0 && machine.step == .propose)
    }
}
