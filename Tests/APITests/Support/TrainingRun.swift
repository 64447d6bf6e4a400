// APITests: a training task driven through its first round on a TestNode.

import Consensus
import DeAICore
import DeAITesting
import Ledger
import Storage
import Testing

/// Drives task 1 on a ``TestNode``: Alice sponsors it, keys 3–5 train and keys 6–7 evaluate (stakes 300 and
/// 100). ``runFirstRound()`` takes it to model version 1 with one harmful update slashed.
struct TrainingRun {
    static let sponsor = TestNode.alice
    static let trainers = (3...5).map(TestKeys.signingKey)
    static let evaluators = (6...7).map(TestKeys.signingKey)
    /// The accounts the node's genesis must fund besides Alice.
    static let funded = (Self.trainers + Self.evaluators).map(\.verifyingKey.address)
    static let taskID: UInt64 = 1
    /// The hash both evaluators attest in round 1.
    static let aggregate = SHA256Digest(hashing: Array("aggregate of round 1".utf8))

    let node: TestNode
    private var nonces: [Address: UInt64] = [:]

    /// Hashes of the transactions sent, by payload kind (the last of each kind).
    private(set) var transactionByKind: [String: SHA256Digest] = [:]

    init(node: TestNode) {
        self.node = node
    }

    /// How far ``withTask(through:_:)`` takes the task.
    enum Stage {
        /// Round 1 open, nothing submitted.
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

    /// The task as committed.
    var task: TrainingTask {
        get async throws { try #require(await self.node.chain.view.state.tasks[Self.taskID]) }
    }

    /// Posts the task and enrolls its members, then produces blocks until round 1 is open.
    mutating func enroll() async throws {
        try await self.block([(.createTask(TrainingFixtures.spec()), Self.sponsor)])
        let joins = Self.trainers.map { (Payload.joinTask(taskID: Self.taskID, role: .trainer, stake: 200), $0) }
            + zip(Self.evaluators, [300, 100] as [Amount]).map {
                (Payload.joinTask(taskID: Self.taskID, role: .evaluator, stake: $0.1), $0.0)
            }
        try await self.block(joins)
        for _ in 0..<3 {
            guard try await self.task.round == 0 else { break }
            try await self.node.produceBlock()
        }
        #expect(try await self.task.round == 1)
    }

    /// Enrolls, then runs round 1: every trainer submits, the evaluators judge the last update harmful and the
    /// others useful, and both attest ``aggregate``.
    mutating func runFirstRound() async throws {
        try await self.enroll()
        let selected = try #require(await self.node.chain.view.state.rounds[Self.taskID]?[1]).selected
        let updates = selected.map { address in
            let key = Self.trainers.first { $0.verifyingKey.address == address }!
            let blob = SHA256Digest(hashing: Array("update of \(address)".utf8))
            return (Payload.submitUpdate(taskID: Self.taskID, round: 1, blob: blob, sampleCount: 100), key)
        }
        try await self.block(updates)
        let scores = selected.indices.map { $0 == selected.count - 1 ? Int64(-50_000) : 2_000 }
        try await self.block(Self.evaluators.map { (.submitScores(taskID: Self.taskID, round: 1, scores: scores), $0) })
        try await self.block(
            Self.evaluators.map {
                (.attestModel(taskID: Self.taskID, round: 1, model: Self.aggregate, metricBasisPoints: 9_500), $0)
            }
        )
        #expect(try await self.task.version == 1)
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
            self.transactionByKind[payload.kind] = transaction.hash
        }
        try await self.node.produceBlock()
        for hash in hashes {
            let receipt = try #require(try await self.node.chain.database.receipt(hash), sourceLocation: sourceLocation)
            #expect(receipt.succeeded, "\(receipt.message)", sourceLocation: sourceLocation)
        }
    }
}
