// ConsensusSimulation: validators' real consensus machines and chain cores over a simulated network and clock.

public import Consensus
import DeAICore
public import Ledger

/// What one simulated run found.
public struct SimulationReport: Sendable, Hashable, Codable {
    /// The seed that names the run.
    public var seed: UInt64
    /// The number of validators.
    public var validators: Int
    /// The network and faults of the run (``SimulationPlan``).
    public var plan: String
    /// The lowest height every honest validator reached.
    public var height: Height
    /// Simulated seconds the run covered.
    public var simulatedSeconds: Double
    /// Events processed.
    public var events: Int
    /// Whether an honest validator reported the Byzantine validator's double votes.
    public var evidenceReported: Bool
    /// Every broken property, in the order found; empty for a correct run.
    public var violations: [String]
}

/// N validators, each with a real ``ChainCore`` and ``ConsensusDriver``, deciding blocks of signed transfers
/// over a simulated network and clock. One seed fixes every choice (``SimulationPlan``): delays, drops,
/// duplicates, reordering, a partition that heals, a crash with a restart from durable state (the decided chain
/// and the ``SigningRecord``), and one Byzantine validator that equivocates every proposal and vote.
///
/// After every event it checks: agreement (no two different blocks decided at one height), validity (every
/// decided block validates), that every commit verifies, identical state roots, that no honest validator signs
/// two conflicting votes; at the end, that an honest validator reported the equivocator and that every honest
/// chain punished it (its report, a `report_double_sign` transaction, committed: the equivocator is tombstoned),
/// and liveness: once the network heals every honest validator reaches ``Options/heights`` and a height above any
/// reached before.
///
/// ```swift
/// let report = ConsensusSimulation(seed: 42, options: .init(validators: 4)).run()
/// #expect(report.violations.isEmpty, "replay: deai simulate --validators 4 --seed 42")
/// ```
public struct ConsensusSimulation {
    /// The size of a run.
    public struct Options: Sendable, Hashable {
        /// Validators, with equal power.
        public var validators: Int
        /// The height every honest validator must reach.
        public var heights: Height
        /// How long after the network heals the chain may take to reach ``heights``.
        public var livenessBudget: Duration
        /// The consensus timeouts.
        public var timeouts: ConsensusTimeouts

        /// Options with defaults: 4 validators, 6 heights, 5 simulated minutes to recover, ``simulationTimeouts``.
        public init(
            validators: Int = 4, heights: Height = 6, livenessBudget: Duration = .seconds(300),
            timeouts: ConsensusTimeouts = Options.simulationTimeouts
        ) {
            self.validators = validators
            self.heights = heights
            self.livenessBudget = livenessBudget
            self.timeouts = timeouts
        }

        /// Timeouts in the range of the simulated delays (1–250 ms): propose 200 ms, prevote and precommit 100 ms,
        /// each +50 ms per round, and 100 ms between heights, which paces a fast network as a real one is paced.
        public static let simulationTimeouts = ConsensusTimeouts(
            propose: .milliseconds(200), proposeDelta: .milliseconds(50), prevote: .milliseconds(100),
            prevoteDelta: .milliseconds(50), precommit: .milliseconds(100), precommitDelta: .milliseconds(50),
            commit: .milliseconds(100))
    }

    private enum Event {
        case deliver(ConsensusMessage, to: Int, from: Int)
        case timeout(ConsensusTimeout, validator: Int, epoch: Int)
        case startHeight(validator: Int, epoch: Int)
        case gossip(validator: Int, epoch: Int)
        case crash(Int)
        case restart(Int)
    }

    /// The seed.
    public let seed: UInt64
    /// The size.
    public let options: Options
    /// The network and faults drawn from the seed.
    public let plan: SimulationPlan

    private let genesis: Genesis
    private let transfers: [VerifiedTransaction]
    private var validators: [SimulatedValidator] = []
    private var queue = EventQueue<Event>()
    private var random: SeededGenerator
    private var now: UInt64 = 0
    private var events = 0
    private var violations: [String] = []
    private var decided: [Height: SHA256Digest] = [:]
    private var stateRoots: [Height: SHA256Digest] = [:]
    private var honestVotes: [String: SHA256Digest?] = [:]
    private var equivocated = false
    private var evidenceReported = false
    /// The height every honest validator must reach: ``Options/heights``, and once the network heals, one above the
    /// highest reached by then (the chain must move again after the faults).
    private var target: Height

    /// How often a validator sends again every proposal and vote of its height it has seen (gossip).
    private static let gossipInterval: UInt64 = 200_000_000

    /// A run of `seed`; nothing happens until ``run()``.
    /// - Precondition: 1 to 16 validators, at least one height.
    public init(seed: UInt64, options: Options = Options()) {
        precondition((1...16).contains(options.validators), "1 to 16 validators")
        precondition(options.heights >= 1, "at least one height")
        self.seed = seed
        self.options = options
        self.plan = SimulationPlan(seed: seed, validators: options.validators)
        self.random = SeededGenerator(seed: seed)
        self.target = options.heights
        self.genesis = ChainFixtures.genesis(validators: options.validators, chainID: "deai-simulation")
        self.transfers = (0..<options.heights * 2).flatMap { nonce in
            (1..<ChainFixtures.accountCount).map { sender in
                VerifiedTransaction(ChainFixtures.transfer(
                    from: sender, to: ChainFixtures.address((sender % (ChainFixtures.accountCount - 1)) + 1), amount: 1,
                    nonce: nonce, chainID: "deai-simulation"))
            }
        }
        do {
            let state = try self.genesis.makeState()
            let commitment = StateCommitment(state: state)
            let genesisHash = Genesis.hash(chainID: self.genesis.chainID, genesisTime: self.genesis.genesisTime, stateRoot: commitment.root)
            for index in 0..<options.validators {
                self.validators.append(SimulatedValidator(
                    index: index, address: ChainFixtures.operatorKey(ofValidator: index).verifyingKey.address,
                    key: ChainFixtures.consensusKey(ofValidator: index),
                    isByzantine: index == self.plan.byzantine,
                    core: ChainCore(genesisHash: genesisHash, state: state, commitment: commitment),
                    timeouts: options.timeouts))
            }
        } catch {
            preconditionFailure("ConsensusSimulation: the simulation's genesis is invalid (\(error))")
        }
    }

    // MARK: - Running

    /// Runs until every honest validator reached ``Options/heights`` after the network healed, or the liveness
    /// budget ran out.
    public mutating func run() -> SimulationReport {
        for index in self.validators.indices {
            self.queue.push(.startHeight(validator: index, epoch: 0), at: 0)
            self.queue.push(.gossip(validator: index, epoch: 0), at: Self.gossipInterval)
        }
        if let crash = self.plan.crash {
            self.queue.push(.crash(crash.validator), at: crash.start)
            self.queue.push(.restart(crash.validator), at: crash.end)
        }
        let deadline = self.plan.healTime + Self.nanoseconds(self.options.livenessBudget)
        var healed = false
        while !self.finished, let (time, event) = self.queue.pop(), time <= deadline {
            if !healed, time >= self.plan.healTime {
                healed = true
                self.target = max(self.target, (self.honest.map(\.core.height).max() ?? 0) + 1)
            }
            self.now = time
            self.events += 1
            self.handle(event)
        }
        if !self.finished {
            for validator in self.honest where validator.core.height < self.target {
                let machine = validator.driver.machine
                self.violations.append(
                    "liveness: validator \(validator.index) is at height \(validator.core.height), round "
                        + "\(machine?.round ?? 0), step \(machine.map { "\($0.step)" } ?? "down") "
                        + "\((deadline - self.plan.healTime) / 1_000_000_000) s after the network healed")
            }
        }
        if self.equivocated, !self.evidenceReported {
            self.violations.append("evidence: no honest validator reported the Byzantine validator's double votes")
        } else if self.equivocated, !self.evidenceCommitted {
            self.violations.append("evidence: the Byzantine validator's double votes were reported but not punished on every honest chain")
        }
        return SimulationReport(
            seed: self.seed, validators: self.options.validators, plan: self.plan.description,
            height: self.honest.map(\.core.height).min() ?? 0, simulatedSeconds: Double(self.now) / 1e9,
            events: self.events, evidenceReported: self.evidenceReported, violations: self.violations)
    }

    private var honest: [SimulatedValidator] { self.validators.filter { !$0.isByzantine } }

    private var finished: Bool {
        self.now >= self.plan.healTime && self.honest.allSatisfy { $0.isUp && $0.core.height >= self.target }
            && (!self.equivocated || self.evidenceCommitted)
    }

    private mutating func handle(_ event: Event) {
        switch event {
        case .deliver(let message, let to, let from):
            guard self.validators[to].isUp else { return }
            self.perform(self.validators[to].driver.receive(message, from: from), at: to)
        case .timeout(let timeout, let index, let epoch):
            guard self.validators[index].epoch == epoch else { return }
            self.perform(self.validators[index].driver.timeout(timeout), at: index)
        case .startHeight(let index, let epoch):
            // Due after a decision (or a start); a validator that caught up meanwhile already runs the next height.
            guard self.validators[index].epoch == epoch, self.validators[index].isUp,
                self.validators[index].driver.machine.map({ $0.step == .decided }) ?? true
            else { return }
            self.startHeight(at: index)
        case .gossip(let index, let epoch):
            guard self.validators[index].epoch == epoch, self.validators[index].isUp else { return }
            self.perform(self.validators[index].driver.gossip(), at: index)
            self.queue.push(.gossip(validator: index, epoch: epoch), at: self.now + Self.gossipInterval)
        case .crash(let index):
            self.validators[index].crash()
        case .restart(let index):
            self.validators[index].isUp = true
            let epoch = self.validators[index].epoch
            self.queue.push(.startHeight(validator: index, epoch: epoch), at: self.now)
            self.queue.push(.gossip(validator: index, epoch: epoch), at: self.now + Self.gossipInterval)
            for peer in self.validators.indices where peer != index {
                self.send(.catchUp(from: self.validators[index].height), from: index, to: peer)
            }
        }
    }

    // MARK: - A validator's host

    /// Starts the next height: applies the decided block with every precommit gathered since, then hands the
    /// driver the new core and the messages the validator signed at that height before a crash.
    private mutating func startHeight(at index: Int) {
        if let machine = self.validators[index].driver.machine, machine.step == .decided {
            guard let decision = self.validators[index].driver.decision else {
                self.violations.append("validity: validator \(index) decided block \(machine.height) that does not validate")
                return
            }
            self.apply(decision.executed, commit: decision.commit, at: index)
        }
        let validator = self.validators[index]
        let outputs = self.validators[index].driver.startHeight(on: validator.core, ownMessages: validator.ownMessages)
        self.validators[index].ownMessages.removeAll { $0.height < validator.height }
        self.perform(outputs, at: index)
    }

    private mutating func perform(_ outputs: [ConsensusDriver<Int>.Output], at index: Int) {
        for output in outputs {
            switch output {
            case .buildProposal(let height):
                guard height == self.validators[index].height else { continue }
                let proposed = self.buildBlock(at: index)
                self.perform(self.validators[index].driver.proposalBuilt(proposed.executed), at: index)
            case .sign(let unsigned):
                self.sign(unsigned, at: index)
            case .broadcast(let message):
                self.broadcast(message, from: index)
            case .send(let message, let peer):
                self.send(message, from: index, to: peer)
            case .sendDecidedBlocks(let from, let peer):
                for height in from...max(from, self.validators[index].core.height) {
                    guard let entry = self.validators[index].history[height] else { continue }
                    self.send(.decided(entry.block, entry.commit), from: index, to: peer)
                }
            case .scheduleTimeout(let timeout, let after):
                self.queue.push(
                    .timeout(timeout, validator: index, epoch: self.validators[index].epoch), at: self.now + Self.nanoseconds(after))
            case .decided(let block):
                self.check(decided: block, at: index)
                self.queue.push(
                    .startHeight(validator: index, epoch: self.validators[index].epoch),
                    at: self.now + Self.nanoseconds(self.options.timeouts.commit))
            case .apply(let executed, let commit):
                self.check(decided: executed.block, at: index)
                self.apply(executed, commit: commit, at: index)
                self.startHeight(at: index)
            case .evidence(let evidence):
                guard !self.validators[index].isByzantine else { continue }
                if evidence.validator == self.byzantineAddress {
                    self.evidenceReported = true
                    self.report(evidence, at: index)
                } else {
                    self.violations.append("evidence against honest validator \(evidence.validator) at height \(evidence.first.vote.height)")
                }
            case .misbehaving(let peer, let reason):
                if !self.validators[peer].isByzantine {
                    self.violations.append("validator \(index) took honest validator \(peer) for a liar: \(reason)")
                }
            }
        }
    }

    /// The block this validator proposes: its reports of double votes not yet punished, then the pending
    /// transfers, on its decided state, stamped with the simulated clock.
    private func buildBlock(at index: Int, offset: UInt64 = 0) -> ProposedBlock {
        let core = self.validators[index].core
        let pending = self.transfers.filter { $0.transaction.body.nonce >= core.state.account($0.transaction.body.senderAddress).nonce }
        let evidence = self.validators[index].evidence.filter { report in
            guard case .reportDoubleSign(let evidence) = report.transaction.body.payload else { return false }
            return core.state.validators[evidence.validator]?.tombstoned == false
                && report.transaction.body.nonce >= core.state.account(report.transaction.body.senderAddress).nonce
        }
        let time = ChainFixtures.genesisTime + self.now / 1_000_000 + offset
        return core.propose(from: evidence + Array(pending.prefix(3)), time: time, proposer: self.validators[index].address)
    }

    /// An honest validator's report of the equivocator's double vote: a free transaction signed with its consensus
    /// key, which its next proposal carries.
    private mutating func report(_ evidence: DuplicateVoteEvidence, at index: Int) {
        let validator = self.validators[index]
        let sender = validator.key.verifyingKey
        let body = TransactionBody(
            chainID: self.genesis.chainID, sender: sender,
            nonce: validator.core.state.account(sender.address).nonce + UInt64(validator.evidence.count), fee: 0,
            payload: .reportDoubleSign(evidence))
        do {
            self.validators[index].evidence.append(VerifiedTransaction(try Transaction(signing: body, with: validator.key)))
        } catch {
            preconditionFailure("ConsensusSimulation: signing with a valid key cannot fail (\(error))")
        }
    }

    /// The equivocator's operator address, when the plan has one.
    private var byzantineAddress: Address? { self.plan.byzantine.map { self.validators[$0].address } }

    /// Whether every honest validator's chain has punished the equivocator.
    private var evidenceCommitted: Bool {
        guard let byzantine = self.byzantineAddress else { return true }
        return self.honest.allSatisfy { $0.core.state.validators[byzantine]?.tombstoned == true }
    }

    /// Signs a proposal or vote. An honest validator asks its signing record first, keeps the signed message in
    /// its write-ahead log and hands it to its driver, which sends it to everyone. The Byzantine one also signs a
    /// conflicting message and sends each to half of the others.
    private mutating func sign(_ unsigned: ConsensusDriver<Int>.Unsigned, at index: Int) {
        let validator = self.validators[index]
        let message: ConsensusMessage
        switch unsigned {
        case .proposal(let proposal):
            if !validator.isByzantine {
                guard validator.signing.check(proposal).allowsSigning else { return }
                self.validators[index].signing.record(proposal)
            }
            message = .proposal(Self.signed(proposal, key: validator.key))
        case .vote(let vote):
            if !validator.isByzantine {
                guard validator.signing.check(vote).allowsSigning else { return }
                self.validators[index].signing.record(vote)
                let key = "\(vote.validator) \(vote.height) \(vote.round) \(vote.kind)"
                if let earlier = self.honestVotes[key], earlier != vote.blockHash {
                    self.violations.append("double-sign: honest validator \(index) signed two \(vote.kind)s at height \(vote.height), round \(vote.round)")
                }
                self.honestVotes[key] = vote.blockHash
            }
            message = .vote(Self.signed(vote, key: validator.key))
        }
        guard validator.isByzantine else {
            self.validators[index].ownMessages.append(message)
            self.perform(self.validators[index].driver.signed(message), at: index)
            return
        }
        if case .vote = message { self.equivocated = true }
        self.queue.push(.deliver(message, to: index, from: index), at: self.now)
        self.split(message, self.conflicting(with: unsigned, at: index), from: index)
    }

    /// What the Byzantine validator signs besides `unsigned`: a second block, or a vote for nothing against one for
    /// a block and for a made-up block against one for nothing.
    private func conflicting(with unsigned: ConsensusDriver<Int>.Unsigned, at index: Int) -> ConsensusMessage {
        let key = self.validators[index].key
        switch unsigned {
        case .proposal(var other):
            other.block = self.buildBlock(at: index, offset: 1).block
            return .proposal(Self.signed(other, key: key))
        case .vote(var other):
            other.blockHash = other.blockHash == nil ? SHA256Digest(hashing: Array("byzantine \(other.round)".utf8)) : nil
            return .vote(Self.signed(other, key: key))
        }
    }

    private mutating func apply(_ executed: ExecutedBlock, commit: Commit, at index: Int) {
        let block = executed.block
        do {
            try self.validators[index].core.apply(executed, commit: commit)
        } catch {
            self.violations.append("commit: validator \(index) cannot apply block \(block.header.height): \(error)")
            return
        }
        let height = block.header.height
        self.validators[index].history[height] = (block, commit)
        guard !self.validators[index].isByzantine else { return }
        let root = self.validators[index].core.commitment.root
        if let expected = self.stateRoots[height], expected != root {
            self.violations.append("state: validator \(index) has state root \(root) after block \(height), others \(expected)")
        }
        self.stateRoots[height] = root
    }

    /// The agreement check of a decision by an honest validator (its commit is verified when the block is applied).
    private mutating func check(decided block: Block, at index: Int) {
        guard !self.validators[index].isByzantine else { return }
        let height = block.header.height
        if let earlier = self.decided[height], earlier != block.hash {
            self.violations.append("agreement: validator \(index) decided \(block.hash) at height \(height), another validator \(earlier)")
        }
        self.decided[height] = block.hash
    }

    // MARK: - The network

    private mutating func broadcast(_ message: ConsensusMessage, from sender: Int) {
        for peer in self.validators.indices where peer != sender { self.send(message, from: sender, to: peer) }
    }

    /// Sends `first` to the peers of even rank and `second` to the others.
    private mutating func split(_ first: ConsensusMessage, _ second: ConsensusMessage, from sender: Int) {
        for (rank, peer) in self.validators.indices.filter({ $0 != sender }).enumerated() {
            self.send(rank.isMultiple(of: 2) ? first : second, from: sender, to: peer)
        }
    }

    /// Puts `message` on the simulated wire: delayed, perhaps lost or duplicated before the network heals, lost
    /// across a partition.
    private mutating func send(_ message: ConsensusMessage, from sender: Int, to receiver: Int) {
        let faulty = self.now < self.plan.healTime
        if faulty, self.random.next() % 1_000 < self.plan.dropPerMille { return }
        if let partition = self.plan.partition, (partition.start..<partition.end).contains(self.now),
            partition.side.contains(sender) != partition.side.contains(receiver)
        {
            return
        }
        let copies = faulty && self.random.next() % 1_000 < self.plan.duplicatePerMille ? 2 : 1
        for _ in 0..<copies {
            let delay = self.plan.minDelay + self.random.next() % (self.plan.maxDelay - self.plan.minDelay + 1)
            self.queue.push(.deliver(message, to: receiver, from: sender), at: self.now + delay)
        }
    }

    /// `duration` on the simulated clock, in nanoseconds (a negative one is 0).
    private static func nanoseconds(_ duration: Duration) -> UInt64 { UInt64(max(0, duration.nanoseconds)) }

    private static func signed(_ proposal: BlockProposal, key: SigningKey) -> SignedProposal {
        do {
            return try SignedProposal(signing: proposal, with: key)
        } catch {
            preconditionFailure("ConsensusSimulation: signing with a valid key cannot fail (\(error))")
        }
    }

    private static func signed(_ vote: Vote, key: SigningKey) -> SignedVote {
        do {
            return try SignedVote(signing: vote, with: key)
        } catch {
            preconditionFailure("ConsensusSimulation: signing with a valid key cannot fail (\(error))")
        }
    }
}

extension ConsensusSimulation {
    /// Runs every seed of `seeds` with `options`, spread over `lanes` concurrent lanes, and returns the reports in
    /// seed order; `progress` hears how many seeds the first lane has covered.
    public static func run(
        seeds: Range<UInt64>, options: Options, lanes: Int, progress: @escaping @Sendable (Int) -> Void = { _ in }
    ) async -> [SimulationReport] {
        let lanes = max(1, lanes)
        return await withTaskGroup(of: [SimulationReport].self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    stride(from: seeds.lowerBound + UInt64(lane), to: seeds.upperBound, by: lanes).map { seed in
                        var simulation = ConsensusSimulation(seed: seed, options: options)
                        let report = simulation.run()
                        if lane == 0 { progress(Int(seed - seeds.lowerBound) + 1) }
                        return report
                    }
                }
            }
            var reports: [SimulationReport] = []
            for await lane in group { reports += lane }
            return reports.sorted { $0.seed < $1.seed }
        }
    }
}
