// TendermintMachine: one validator's consensus on one height, as a pure state machine — events in, actions out.

public import DeAICore
public import Ledger

/// What a ``TendermintMachine`` asks its driver to do.
public enum ConsensusAction: Sendable, Equatable {
    /// Build a block to propose at this height and round, and hand it back with
    /// ``TendermintMachine/proposalBuilt(_:)``.
    case buildProposal(height: Height, round: UInt32)
    /// Sign this proposal and send it to every validator, this one included.
    case propose(BlockProposal)
    /// Sign this vote (only if it does not conflict with one signed before) and send it to every validator, this
    /// one included.
    case vote(Vote)
    /// Call ``TendermintMachine/timeout(_:)`` with this timeout after this long.
    case scheduleTimeout(ConsensusTimeout, after: Duration)
    /// The height is decided: apply this block, which this commit finalizes.
    case decide(block: Block, commit: Commit)
    /// A validator signed two conflicting votes: report the evidence to the chain.
    case evidence(DuplicateVoteEvidence)
}

/// A timeout of one step of one round.
public struct ConsensusTimeout: Sendable, Hashable {
    /// The height.
    public var height: Height
    /// The round.
    public var round: UInt32
    /// The step it guards.
    public var step: ConsensusTimeouts.Step

    /// A timeout with every field given.
    public init(height: Height, round: UInt32, step: ConsensusTimeouts.Step) {
        self.height = height
        self.round = round
        self.step = step
    }
}

/// One node's run of Tendermint consensus (Buchman, Kwon and Milosevic, "The latest gossip on BFT consensus",
/// 2018, Algorithm 1) for one height: proposals, prevotes and precommits including votes for nothing, the locking
/// and valid-round rules, round timeouts and the jump to a round that more than a third of the power has reached.
///
/// The machine is pure: it reads no clock, sends nothing and signs nothing. Its driver — the node's consensus
/// service, or the deterministic simulator — feeds it events (``start()``, ``receive(_:isValid:)``,
/// ``receive(_:)``, ``timeout(_:)``, ``proposalBuilt(_:)``) and carries out the ``ConsensusAction``s it returns,
/// in order. The driver signs the proposals and votes the machine asks for and delivers them back to it as it
/// delivers other validators' messages. It checks a proposed block's validity (``ChainCore/validate(_:)``) before
/// handing the proposal over.
///
/// Safety needs more than two thirds of the power honest; votes and proposals whose signature does not verify, or
/// from outside the set, are ignored. Given the same events in the same order, every machine takes the same steps.
///
/// ```swift
/// var machine = TendermintMachine(chainID: id, height: 7, validators: set, me: myAddress, timeouts: .local)
/// perform(machine.start())
/// perform(machine.receive(signedVote))
/// ```
public struct TendermintMachine: Sendable {
    /// The step of the current round.
    public enum Step: UInt8, Sendable, Hashable, Comparable {
        case propose = 1
        case prevote = 2
        case precommit = 3
        /// The height is decided; the machine only gathers late precommits into the commit.
        case decided = 4

        public static func < (lhs: Step, rhs: Step) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// A proposal as received, with the driver's verdict on its block.
    struct ReceivedProposal: Sendable {
        var signed: SignedProposal
        var isValid: Bool
        var proposal: BlockProposal { self.signed.proposal }
    }

    /// The chain.
    public let chainID: String
    /// The height decided.
    public let height: Height
    /// The validators that decide it.
    public let validators: ValidatorSet
    /// This node's validator address; `nil` for a node that follows without voting.
    public let me: Address?
    /// The step timeouts.
    public let timeouts: ConsensusTimeouts

    /// The current round.
    public private(set) var round: UInt32 = 0
    /// The current step.
    public private(set) var step: Step = .propose
    /// The decided block and its commit, with every precommit gathered so far.
    public private(set) var decision: (block: Block, commit: Commit)?

    private var started = false
    private var locked: (block: Block, round: UInt32)?
    private var valid: (block: Block, round: UInt32)?
    private var proposals: [UInt32: ReceivedProposal] = [:]
    private var prevotes: [UInt32: StepVotes] = [:]
    private var precommits: [UInt32: StepVotes] = [:]
    /// The validators heard from in each round, for the jump to a round more than a third of the power is in.
    private var senders: [UInt32: Set<Address>] = [:]
    private var reported: Set<Address> = []
    private var prevoteTimeoutScheduled: Set<UInt32> = []
    private var precommitTimeoutScheduled: Set<UInt32> = []
    private var sawValidMajority: Set<UInt32> = []

    /// A machine for `height`, not yet started.
    public init(chainID: String, height: Height, validators: ValidatorSet, me: Address?, timeouts: ConsensusTimeouts) {
        self.chainID = chainID
        self.height = height
        self.validators = validators
        self.me = me.flatMap { validators.member($0) != nil ? $0 : nil }
        self.timeouts = timeouts
    }

    /// The proposer of `round` at this height.
    public func proposer(of round: UInt32) -> Address? {
        self.validators.proposer(height: self.height, round: round)?.address
    }

    /// The validators whose votes the current step waits for that arrived: the prevoters of the round in the prevote
    /// step, the precommitters in the precommit step; `nil` in the other steps, which always end by themselves.
    public var votersOfCurrentStep: Set<Address>? {
        switch self.step {
        case .prevote: self.prevotes[self.round]?.voters ?? []
        case .precommit: self.precommits[self.round]?.voters ?? []
        case .propose, .decided: nil
        }
    }

    // MARK: - Events

    /// Starts round 0. Messages received before are kept and count from now.
    public mutating func start() -> [ConsensusAction] {
        guard !self.started else { return [] }
        self.started = true
        var actions: [ConsensusAction] = []
        self.startRound(0, into: &actions)
        self.applyRules(into: &actions)
        return actions
    }

    /// A proposal from another validator or from this one; `isValid` is the driver's verdict on its block.
    /// Ignored unless it is for this height, from its round's proposer, signed by it, and the first of its round.
    public mutating func receive(_ signed: SignedProposal, isValid: Bool) -> [ConsensusAction] {
        guard self.isAuthentic(signed) else { return [] }
        return self.receive(authentic: signed, isValid: isValid)
    }

    /// ``receive(_:isValid:)`` for a proposal whose authenticity the caller checked (``isAuthentic(_:)``): the
    /// driver checks each message once, before it keeps it for gossip.
    mutating func receive(authentic signed: SignedProposal, isValid: Bool) -> [ConsensusAction] {
        let proposal = signed.proposal
        guard proposal.block.header.height == self.height,
            proposal.validRound.map({ $0 < proposal.round }) ?? true, self.proposals[proposal.round] == nil
        else { return [] }
        self.proposals[proposal.round] = ReceivedProposal(signed: signed, isValid: isValid)
        self.senders[proposal.round, default: []].insert(proposal.proposer)
        return self.afterEvent()
    }

    /// A prevote or precommit from another validator or from this one. Ignored unless it is for this chain and
    /// height, from a member of the set and signed by it; a second, different vote of a validator in the same step
    /// counts for its block too (``StepVotes``) and is reported as evidence, once per validator.
    public mutating func receive(_ signed: SignedVote) -> [ConsensusAction] {
        guard self.isAuthentic(signed) else { return [] }
        return self.receive(authentic: signed)
    }

    /// ``receive(_:)`` for a vote whose authenticity the caller checked (``isAuthentic(_:)``).
    mutating func receive(authentic signed: SignedVote) -> [ConsensusAction] {
        let vote = signed.vote
        guard let member = self.validators.member(vote.validator) else { return [] }
        var actions: [ConsensusAction] = []
        let addition: StepVotes.Addition
        switch vote.kind {
        case .prevote: addition = self.prevotes[vote.round, default: StepVotes()].add(signed, power: member.power)
        case .precommit: addition = self.precommits[vote.round, default: StepVotes()].add(signed, power: member.power)
        }
        switch addition {
        case .ignored:
            return []
        case .conflicting(let earlier):
            if self.reported.insert(vote.validator).inserted {
                actions.append(.evidence(DuplicateVoteEvidence(earlier, signed)))
            }
        case .added:
            self.senders[vote.round, default: []].insert(vote.validator)
        }
        if self.step == .decided {
            self.gatherLatePrecommit(vote)
            return actions
        }
        return actions + self.afterEvent()
    }

    /// Whether `signed` is a proposal of this chain and height signed by the proposer of its round.
    public func isAuthentic(_ signed: SignedProposal) -> Bool {
        let proposal = signed.proposal
        guard proposal.height == self.height, proposal.block.header.chainID == self.chainID,
            let proposer = self.validators.proposer(height: self.height, round: proposal.round)
        else { return false }
        return proposer.address == proposal.proposer && signed.isSigned(by: proposer.consensusKey)
    }

    /// Whether `signed` is a vote of this chain and height signed by a member of the set.
    public func isAuthentic(_ signed: SignedVote) -> Bool {
        let vote = signed.vote
        guard vote.chainID == self.chainID, vote.height == self.height, let member = self.validators.member(vote.validator)
        else { return false }
        return signed.isSigned(by: member.consensusKey)
    }

    /// A timeout the machine scheduled has passed. Stale ones (another height, an earlier round or step) are ignored.
    public mutating func timeout(_ timeout: ConsensusTimeout) -> [ConsensusAction] {
        guard timeout.height == self.height, timeout.round == self.round, self.step != .decided else { return [] }
        var actions: [ConsensusAction] = []
        switch timeout.step {
        case .propose where self.step == .propose:
            self.castVote(.prevote, for: nil, into: &actions)
            self.step = .prevote
        case .prevote where self.step == .prevote:
            self.castVote(.precommit, for: nil, into: &actions)
            self.step = .precommit
        case .precommit:
            self.startRound(self.round + 1, into: &actions)
        default:
            return []
        }
        self.applyRules(into: &actions)
        return actions
    }

    /// The block the driver built for this node's proposal (after ``ConsensusAction/buildProposal(height:round:)``).
    public mutating func proposalBuilt(_ block: Block) -> [ConsensusAction] {
        guard let me = self.me, self.step == .propose, self.proposals[self.round] == nil,
            self.proposer(of: self.round) == me, block.header.height == self.height
        else { return [] }
        return [.propose(BlockProposal(height: self.height, round: self.round, validRound: nil, block: block, proposer: me))]
    }

    // MARK: - Rules

    private mutating func afterEvent() -> [ConsensusAction] {
        guard self.started else { return [] }
        var actions: [ConsensusAction] = []
        self.applyRules(into: &actions)
        return actions
    }

    /// `StartRound(round)`: the proposer proposes its valid block or asks for a new one; everyone waits for the
    /// proposal at most the propose timeout.
    private mutating func startRound(_ round: UInt32, into actions: inout [ConsensusAction]) {
        self.round = round
        self.step = .propose
        if let me = self.me, self.proposer(of: round) == me, self.proposals[round] == nil {
            if let valid = self.valid {
                actions.append(.propose(BlockProposal(
                    height: self.height, round: round, validRound: valid.round, block: valid.block, proposer: me)))
            } else {
                actions.append(.buildProposal(height: self.height, round: round))
            }
        }
        self.schedule(.propose, into: &actions)
    }

    /// Fires every rule whose condition holds, until none does (a fired rule can enable another).
    private mutating func applyRules(into actions: inout [ConsensusAction]) {
        while self.step != .decided {
            if self.decideIfCommitted(into: &actions) { return }
            if let round = self.roundReachedByOneThird() {
                self.startRound(round, into: &actions)
                continue
            }
            if !self.fireStepRule(into: &actions) { return }
        }
    }

    /// Lines 22–46 and 47 of the algorithm, for the current round. Returns whether one fired.
    private mutating func fireStepRule(into actions: inout [ConsensusAction]) -> Bool {
        let round = self.round
        let prevotes = self.prevotes[round] ?? StepVotes()
        let proposal = self.proposals[round]
        if self.step == .propose, let proposal {
            let blockHash = proposal.proposal.block.hash
            if let validRound = proposal.proposal.validRound {
                // Line 28: a re-proposal backed by a majority of prevotes in its valid round.
                guard self.validators.isSupermajority(self.prevotes[validRound]?.power(for: blockHash) ?? 0) else {
                    return self.schedulePrecommitTimeoutIfDue(into: &actions)
                }
                let unlocked = self.locked.map { $0.round <= validRound || $0.block.hash == blockHash } ?? true
                self.castVote(.prevote, for: proposal.isValid && unlocked ? blockHash : nil, into: &actions)
            } else {
                // Line 22.
                let unlocked = self.locked.map { $0.block.hash == blockHash } ?? true
                self.castVote(.prevote, for: proposal.isValid && unlocked ? blockHash : nil, into: &actions)
            }
            self.step = .prevote
            return true
        }
        if self.step >= .prevote, let proposal, proposal.isValid, !self.sawValidMajority.contains(round),
            self.validators.isSupermajority(prevotes.power(for: proposal.proposal.block.hash))
        {
            // Line 36: lock (if still prevoting) and remember the block as valid.
            self.sawValidMajority.insert(round)
            let block = proposal.proposal.block
            if self.step == .prevote {
                self.locked = (block, round)
                self.castVote(.precommit, for: block.hash, into: &actions)
                self.step = .precommit
            }
            self.valid = (block, round)
            return true
        }
        if self.step == .prevote {
            if self.validators.isSupermajority(prevotes.power(for: nil)) {
                // Line 44.
                self.castVote(.precommit, for: nil, into: &actions)
                self.step = .precommit
                return true
            }
            if self.validators.isSupermajority(prevotes.power), self.prevoteTimeoutScheduled.insert(round).inserted {
                // Line 34.
                self.schedule(.prevote, into: &actions)
                return true
            }
        }
        return self.schedulePrecommitTimeoutIfDue(into: &actions)
    }

    /// Line 47: more than two thirds of the power precommitted in this round, for anything.
    private mutating func schedulePrecommitTimeoutIfDue(into actions: inout [ConsensusAction]) -> Bool {
        let round = self.round
        guard self.validators.isSupermajority(self.precommits[round]?.power ?? 0),
            self.precommitTimeoutScheduled.insert(round).inserted
        else { return false }
        self.schedule(.precommit, into: &actions)
        return true
    }

    /// Line 49: a valid proposal of any round that more than two thirds of the power precommitted decides the height.
    private mutating func decideIfCommitted(into actions: inout [ConsensusAction]) -> Bool {
        for round in self.precommits.keys.sorted() {
            guard let proposal = self.proposals[round], proposal.isValid, let precommits = self.precommits[round] else {
                continue
            }
            let block = proposal.proposal.block
            guard self.validators.isSupermajority(precommits.power(for: block.hash)) else { continue }
            let commit = Commit(
                height: self.height, round: round, blockHash: block.hash, signatures: precommits.signatures(for: block.hash))
            self.decision = (block, commit)
            self.round = round
            self.step = .decided
            actions.append(.decide(block: block, commit: commit))
            return true
        }
        return false
    }

    /// Line 55: the lowest round above the current one from which validators with more than a third of the power
    /// sent messages.
    private func roundReachedByOneThird() -> UInt32? {
        for round in self.senders.keys.sorted() where round > self.round {
            let power = self.senders[round, default: []].reduce(Amount(0)) { $0 &+ (self.validators.member($1)?.power ?? 0) }
            if self.validators.exceedsOneThird(power) { return round }
        }
        return nil
    }

    /// Adds a precommit that arrived after the decision to the decided commit, when it is for the decided block.
    private mutating func gatherLatePrecommit(_ vote: Vote) {
        guard let decision = self.decision, vote.kind == .precommit, vote.round == decision.commit.round,
            vote.blockHash == decision.block.hash, let precommits = self.precommits[vote.round]
        else { return }
        self.decision = (decision.block, Commit(
            height: self.height, round: vote.round, blockHash: decision.block.hash,
            signatures: precommits.signatures(for: decision.block.hash)))
    }

    private func castVote(_ kind: Vote.Kind, for blockHash: SHA256Digest?, into actions: inout [ConsensusAction]) {
        guard let me = self.me else { return }
        actions.append(.vote(Vote(
            kind: kind, chainID: self.chainID, height: self.height, round: self.round, blockHash: blockHash, validator: me)))
    }

    private func schedule(_ step: ConsensusTimeouts.Step, into actions: inout [ConsensusAction]) {
        actions.append(.scheduleTimeout(
            ConsensusTimeout(height: self.height, round: self.round, step: step),
            after: self.timeouts.duration(of: step, round: self.round)))
    }
}
