// A ledger with one training task and helpers that drive its rounds through the commit and reveal phases.

import DeAICore
import DeAITesting
import Ledger
import Testing

/// A ledger with one task: account 1 sponsors, accounts 2–5 train, accounts 6–8 evaluate.
struct TaskLedger {
    static let sponsor = 1
    static let trainers = [2, 3, 4, 5]
    static let evaluators = [6, 7, 8]

    var ledger: TestLedger
    var nonces: [Int: UInt64] = [:]
    let taskID: UInt64 = 1

    /// A ledger whose task's first round is open, with every selected trainer's update revealed.
    static func withUpdates(
        spec: TaskSpec = TrainingFixtures.spec(minimumEvaluators: 3), evaluatorStakes: [Amount] = [300, 200, 100]
    ) throws -> TaskLedger {
        var setup = try TaskLedger(spec: spec, evaluatorStakes: evaluatorStakes)
        try setup.ledger.emptyBlocks(1)
        try setup.submitAllUpdates()
        return setup
    }

    init(
        spec: TaskSpec = TrainingFixtures.spec(minimumEvaluators: 3), evaluatorStakes: [Amount] = [300, 200, 100]
    ) throws {
        self.ledger = try TestLedger(genesis: ChainFixtures.genesis(accountCount: 11))
        try self.expectSuccess(self.send(.createTask(spec), from: Self.sponsor))
        var joins = Self.trainers.map {
            self.transaction(.joinTask(taskID: 1, role: .trainer, stake: 200, dataCommitment: nil), from: $0)
        }
        for (index, evaluator) in Self.evaluators.enumerated() {
            let data = SHA256Digest(hashing: Array("held-out data \(evaluator)".utf8))
            joins.append(
                self.transaction(
                    .joinTask(taskID: 1, role: .evaluator, stake: evaluatorStakes[index], dataCommitment: data),
                    from: evaluator))
        }
        try self.expectSuccess(self.ledger.block(joins).receipts)
    }

    var task: TrainingTask { self.ledger.state.tasks[self.taskID]! }
    var round: TrainingRound { self.ledger.state.rounds[self.taskID]![self.task.round]! }
    func round(_ number: UInt32) -> TrainingRound { self.ledger.state.rounds[self.taskID]![number]! }
    func member(_ index: Int) -> TaskMember { self.ledger.state.taskMembers[self.taskID]![ChainFixtures.address(index)]! }
    var supplyAddsUp: Bool { self.ledger.state.accountedSupply == self.ledger.state.globals.totalSupply }

    mutating func transaction(_ payload: Payload, from index: Int) -> Transaction {
        let nonce = self.nonces[index, default: 0]
        self.nonces[index] = nonce + 1
        return ChainFixtures.signed(payload, from: index, nonce: nonce)
    }

    /// Sends one payload in a block of its own and returns the receipts.
    mutating func send(_ payload: Payload, from index: Int) throws -> [TransactionReceipt] {
        let transaction = self.transaction(payload, from: index)
        return try self.ledger.block([transaction]).receipts
    }

    /// Sends payloads together in one block and expects every one to succeed.
    mutating func sendAll(_ payloads: [(Payload, Int)], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let transactions = payloads.map { self.transaction($0.0, from: $0.1) }
        try self.expectSuccess(self.ledger.block(transactions).receipts, sourceLocation: sourceLocation)
    }

    func expectSuccess(_ receipts: [TransactionReceipt], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for receipt in receipts {
            #expect(receipt.code == 0, "\(receipt.message)", sourceLocation: sourceLocation)
        }
    }

    /// The index of the test account with `address`.
    static func index(of address: Address) -> Int {
        (0..<11).first { ChainFixtures.address($0) == address }!
    }

    /// The salt test account `index` uses in round `round`.
    static func salt(_ index: Int, round: UInt32, _ purpose: String = "update") -> [UInt8] {
        RoundPayloads.salt(index, taskID: 1, round: round, purpose)
    }

    /// The blob test trainer `address` reveals in `round`.
    static func blob(of address: Address, round: UInt32) -> SHA256Digest {
        SHA256Digest(hashing: Array("\(address)/\(round)".utf8))
    }

    /// The commitment of trainer `index` to `blob` in the current round.
    func updateCommitment(_ index: Int, blob: SHA256Digest) -> SHA256Digest {
        RoundCommitment.update(
            taskID: self.taskID, round: self.task.round, contributor: ChainFixtures.address(index), blob: blob,
            salt: Self.salt(index, round: self.task.round))
    }

    /// Every selected trainer commits to, then reveals, a distinct blob claiming `sampleCount(address)` samples.
    mutating func submitAllUpdates(sampleCount: (Address) -> UInt64 = { _ in 100 }) throws {
        let round = self.round
        let selected = round.selected.map(Self.index(of:))
        try self.sendAll(
            selected.map { index in
                let blob = Self.blob(of: ChainFixtures.address(index), round: round.number)
                return (.commitUpdate(taskID: 1, round: round.number, commitment: self.updateCommitment(index, blob: blob)), index)
            })
        #expect(self.task.phase == .revealUpdates)
        try self.sendAll(
            selected.map { index in
                let address = ChainFixtures.address(index)
                let payload = Payload.revealUpdate(
                    taskID: 1, round: round.number, blob: Self.blob(of: address, round: round.number),
                    sampleCount: sampleCount(address), salt: Self.salt(index, round: round.number))
                return (payload, index)
            })
    }

    /// Every evaluator in `evaluators` commits to, then reveals, `assess(evaluator, contributor)` for each update.
    mutating func scoreAll(
        evaluators: [Int] = TaskLedger.evaluators, _ assess: (Int, Address) -> UpdateAssessment
    ) throws {
        let round = self.round
        let assessments = Dictionary(
            uniqueKeysWithValues: evaluators.map { evaluator in
                (evaluator, round.updates.map { assess(evaluator, $0.contributor) })
            })
        try self.sendAll(
            evaluators.map { evaluator in
                let commitment = RoundCommitment.scores(
                    taskID: 1, round: round.number, evaluator: ChainFixtures.address(evaluator),
                    assessments: assessments[evaluator]!, salt: Self.salt(evaluator, round: round.number, "scores"))
                return (.commitScores(taskID: 1, round: round.number, commitment: commitment), evaluator)
            })
        if self.task.phase == .revealScores {
            try self.sendAll(
                evaluators.map { evaluator in
                    let payload = Payload.revealScores(
                        taskID: 1, round: round.number, assessments: assessments[evaluator]!,
                        salt: Self.salt(evaluator, round: round.number, "scores"))
                    return (payload, evaluator)
                })
        }
    }

    /// The same assessment from every evaluator.
    mutating func scoreAll(_ assess: (Address) -> UpdateAssessment) throws {
        try self.scoreAll { _, contributor in assess(contributor) }
    }

    /// Every evaluator assesses the round's updates as `useful(scores[i])`, `i` the update's position.
    mutating func scoreAll(byPosition scores: [Int64]) throws {
        let positions = Dictionary(uniqueKeysWithValues: self.round.updates.enumerated().map { ($1.contributor, $0) })
        try self.scoreAll { useful(scores[positions[$0]!]) }
    }

    /// Evaluators attest `models[i]` with `improvements[i]` micro-nats (default 50,000), give or take `errors[i]`
    /// (default 0).
    mutating func attest(
        _ models: [SHA256Digest], improvements: [Int64]? = nil, errors: [Int64]? = nil,
        evaluators: [Int] = TaskLedger.evaluators
    ) throws {
        let number = self.task.round
        try self.sendAll(
            zip(evaluators, models).enumerated().map { position, entry in
                let improvement = improvements?[position] ?? 50_000
                let payload = Payload.attestModel(
                    taskID: 1, round: number, model: entry.1, metricBasisPoints: 9_500, improvement: improvement,
                    improvementError: errors?[position] ?? 0)
                return (payload, entry.0)
            })
    }
}

/// A clean assessment of `score` micro-nats that finds the update harmless.
func useful(_ score: Int64) -> UpdateAssessment {
    RoundPayloads.useful(score)
}
