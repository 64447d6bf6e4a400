// APITests: a training task driven through its first round on a TestNode, phase by phase.

import Consensus
import DeAICore
import DeAITesting
import Ledger
import Storage
import Testing

/// Drives task 1 on a ``TestNode``: Alice sponsors it, keys 3–5 train and keys 6–8 evaluate (stakes 300, 100 and
/// 100). ``runFirstRound()`` takes it to model version 1: every trainer commits and reveals, evaluators 6 and 7
/// reveal ``assessments`` (the last update harmful, its trainer slashed) and attest ``aggregate`` with
/// ``improvement``; evaluator 8 commits scores and never reveals them, forfeiting its reveal deposit.
///
/// Round 1 then pays, with the terms of `TrainingFixtures.spec()`: budget 10000 / 2 = 5000; earned
/// min(5000, 10000 × 31000 / (2 × 50000)) = 3100; evaluators 20% = 620, contributors 2480 shared 3000 : 1000 (1860
/// and 620); the two evaluators weigh 100 each (stake 300 capped at the other's 100) and get 310 each.
struct TrainingRun {
    static let sponsor = TestNode.alice
    static let trainers = (3...5).map(TestKeys.signingKey)
    static let evaluators = (6...8).map(TestKeys.signingKey)
    static let evaluatorStakes: [Amount] = [300, 100, 100]
    /// The evaluators that reveal their scores and attest.
    static let revealing = Array(Self.evaluators.prefix(2))
    /// The accounts the node's genesis must fund besides Alice.
    static let funded = (Self.trainers + Self.evaluators).map(\.verifyingKey.address)
    static let taskID: UInt64 = 1
    /// The hash both revealing evaluators attest in round 1.
    static let aggregate = SHA256Digest(hashing: Array("aggregate of round 1".utf8))
    /// The improvement both revealing evaluators attest, in micro-nats.
    static let improvement: Int64 = 31_000
    /// What each revealing evaluator measures of round 1's updates, in update (contributor address) order.
    static let assessments = [
        UpdateAssessment(score: 3_000, harm: -500, harmError: 100, excluded: false),
        UpdateAssessment(score: 1_000, harm: -200, harmError: 100, excluded: false),
        UpdateAssessment(score: -2_000, harm: 50_000, harmError: 1_000, excluded: false),
    ]
    /// The salt of every commitment of the run.
    static let salt = [UInt8](repeating: 7, count: RoundCommitment.saltLength)

    let node: TestNode
    private var nonces: [Address: UInt64] = [:]

    init(node: TestNode) {
        self.node = node
    }

    /// How far ``withTask(through:_:)`` takes the task.
    enum Stage {
        /// Round 1 open, nothing committed.
        case enrolled
        /// Round 1 settled into model version 1; round 2 open.
        case firstRound
    }

    /// Runs `body` on a node whose genesis funds every member, once task 1 has reached `stage`.
    static func withTask<Result>(
        through stage: Stage, _ body: (TestNode) async throws -> Result
    ) async throws -> Result {
        try await TestNode.withNode(funding: Self.funded) { node in
            var run = TrainingRun(node: node)
            switch stage {
            case .enrolled: try await run.enroll()
            case .firstRound: try await run.runFirstRound()
            }
            return try await body(node)
        }
    }

    /// The blob hash of `trainer`'s update in round 1.
    static func blob(of trainer: Address) -> SHA256Digest {
        SHA256Digest(hashing: Array("update of \(trainer)".utf8))
    }

    /// The hash of `evaluator`'s held-out data.
    static func dataCommitment(of evaluator: Address) -> SHA256Digest {
        SHA256Digest(hashing: Array("held-out data of \(evaluator)".utf8))
    }

    /// The task as committed.
    var task: TrainingTask {
        get async throws { try #require(await self.node.chain.view.state.tasks[Self.taskID]) }
    }

    /// Posts the task and enrolls its members, then produces blocks until round 1 is open.
    mutating func enroll() async throws {
        try await self.block([(.createTask(TrainingFixtures.spec()), Self.sponsor)])
        let joins =
            Self.trainers.map {
                (Payload.joinTask(taskID: Self.taskID, role: .trainer, stake: 200, dataCommitment: nil), $0)
            }
            + zip(Self.evaluators, Self.evaluatorStakes).map { key, stake in
                let data = Self.dataCommitment(of: key.verifyingKey.address)
                let join = Payload.joinTask(taskID: Self.taskID, role: .evaluator, stake: stake, dataCommitment: data)
                return (join, key)
            }
        try await self.block(joins)
        try await self.produceBlocks { $0.round == 1 }
    }

    /// Enrolls, then runs round 1 through its five phases (see ``TrainingRun``).
    mutating func runFirstRound() async throws {
        try await self.enroll()
        let selected = try #require(await self.node.chain.view.state.rounds[Self.taskID]?[1]).selected
        let trainers = Self.trainers.filter { selected.contains($0.verifyingKey.address) }
        try await self.block(
            trainers.map { key in
                let commitment = RoundCommitment.update(
                    taskID: Self.taskID, round: 1, contributor: key.verifyingKey.address,
                    blob: Self.blob(of: key.verifyingKey.address), salt: Self.salt)
                return (.commitUpdate(taskID: Self.taskID, round: 1, commitment: commitment), key)
            })
        try await self.block(
            trainers.map { key in
                let blob = Self.blob(of: key.verifyingKey.address)
                let reveal = Payload.revealUpdate(
                    taskID: Self.taskID, round: 1, blob: blob, sampleCount: 100, salt: Self.salt)
                return (reveal, key)
            })
        try await self.block(
            Self.evaluators.map { key in
                let commitment = RoundCommitment.scores(
                    taskID: Self.taskID, round: 1, evaluator: key.verifyingKey.address,
                    assessments: Self.assessments, salt: Self.salt)
                return (.commitScores(taskID: Self.taskID, round: 1, commitment: commitment), key)
            })
        try await self.block(
            Self.revealing.map {
                (.revealScores(taskID: Self.taskID, round: 1, assessments: Self.assessments, salt: Self.salt), $0)
            })
        // Evaluator 8 never reveals: the phase runs to its deadline.
        try await self.produceBlocks { $0.phase == .attesting }
        try await self.block(
            Self.revealing.map {
                let attestation = Payload.attestModel(
                    taskID: Self.taskID, round: 1, model: Self.aggregate, metricBasisPoints: 9_500,
                    improvement: Self.improvement, improvementError: 2_000)
                return (attestation, $0)
            })
        #expect(try await self.task.version == 1)
    }

    /// Produces blocks until `condition` holds of the task, at most ten.
    private func produceBlocks(
        until condition: (TrainingTask) -> Bool, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        for _ in 0..<10 {
            if condition(try await self.task) { return }
            try await self.node.produceBlock()
        }
        #expect(condition(try await self.task), sourceLocation: sourceLocation)
    }

    /// Submits `payloads` signed by their keys, produces a block, and expects every one to have succeeded.
    mutating func block(
        _ payloads: [(Payload, SigningKey)], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        var hashes: [SHA256Digest] = []
        for (payload, key) in payloads {
            let address = key.verifyingKey.address
            let nonce = self.nonces[address, default: 0]
            self.nonces[address] = nonce + 1
            let transaction = try TestNode.transaction(payload, from: key, nonce: nonce)
            hashes.append(try await self.node.chain.submit(encoding: transaction.canonicalEncoding))
        }
        try await self.node.produceBlock()
        for hash in hashes {
            let receipt = try #require(try await self.node.chain.database.receipt(hash), sourceLocation: sourceLocation)
            #expect(receipt.succeeded, "\(receipt.message)", sourceLocation: sourceLocation)
        }
    }
}
