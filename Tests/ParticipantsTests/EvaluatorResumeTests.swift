// ParticipantsTests: an evaluator restarted in the middle of a round does not send what the chain already holds.

import DeAICore
import DeAITesting
import Federation
import Ledger
import Learning
import Logging
import Participants
import Testing

@Suite("EvaluatorRole after a restart")
struct EvaluatorResumeTests {
    @Test("a round already holding its score commitment, scores and attestation gets none again, and nothing is fetched")
    func resumesWithoutResending() async throws {
        let key = TestKeys.signingKey(7)
        let address = key.verifyingKey.address
        let documents = try TaskSettings.documents(
            model: try ModelSpec.builtin("logreg", features: 2, classes: 2, hidden: 1),
            training: LocalTrainingConfiguration(), evaluation: EvaluationSettings())
        let spec = TaskSpec(
            name: "resume", modelSpec: documents.model, dataSchema: "2 features", initialModel: SHA256Digest(hashing: [1]),
            rounds: 1, participantsPerRound: 1, enrollmentBlocks: 1, updateBlocks: 5, scoreBlocks: 5, revealBlocks: 5,
            attestBlocks: 5, rewardPool: 100, aggregationRule: "fedavg", minimumStake: 10,
            evaluatorShareBasisPoints: 2_000, slashBasisPoints: 5_000, revealDeposit: 1, minimumEvaluators: 1,
            trainingSettings: documents.training, evaluationSettings: documents.evaluation)
        var task = TrainingTask(id: 1, sponsor: TestKeys.signingKey(1).verifyingKey.address, spec: spec, createdHeight: 1)
        task.status = .running
        task.round = 1
        var round = TrainingRound(
            taskID: 1, number: 1, openedHeight: 2, baseModel: spec.initialModel, baseVersion: 0, selected: [])
        round.scoreCommitments = [Commitment(member: address, hash: SHA256Digest(hashing: [3]))]
        round.scores = [EvaluatorScores(evaluator: address, assessments: [])]
        round.attestations = [
            ModelAttestation(evaluator: address, model: SHA256Digest(hashing: [2]), metricBasisPoints: 9_000, improvement: 1,
                             improvementError: 0)
        ]
        let phases: [RoundPhase] = [.commitScores, .revealScores, .attesting]
        var positions = phases.map { phase in
            var position = task
            position.phase = phase
            return position
        }
        var completed = task
        completed.status = .completed
        positions.append(completed)
        let network = ScriptedNetwork(address: address, tasks: positions, round: round)

        let validation = try Dataset(features: try Tensor(shape: [2, 2], scalars: [0, 1, 1, 0]), labels: [0, 1])
        try await EvaluatorRole(taskID: 1, validation: validation, logger: Logger(label: "test")).run(on: network)

        #expect(await network.sent.isEmpty)
        #expect(await network.fetched.isEmpty)
        #expect(await network.tasksServed == 4)
    }
}

/// A network that shows the role a fixed sequence of task positions and one round, and records what it is asked.
private actor ScriptedNetwork: TrainingNetwork {
    nonisolated let address: Address
    private var tasks: [TrainingTask]
    private let roundRecord: TrainingRound
    private(set) var sent: [Payload] = []
    private(set) var fetched: [SHA256Digest] = []
    private(set) var tasksServed = 0

    init(address: Address, tasks: [TrainingTask], round: TrainingRound) {
        self.address = address
        self.tasks = tasks
        self.roundRecord = round
    }

    func task(_ id: UInt64, after position: TaskPosition?) async throws -> TrainingTask {
        self.tasksServed += 1
        return self.tasks.count > 1 ? self.tasks.removeFirst() : self.tasks[0]
    }

    func round(taskID: UInt64, number: UInt32) async throws -> TrainingRound { self.roundRecord }

    func fetchBlob(_ hash: SHA256Digest) async throws -> [UInt8] {
        self.fetched.append(hash)
        throw ParticipantError.unexpectedResponse(reason: "no blobs in this test")
    }

    func publishBlob(_ bytes: [UInt8]) async throws -> SHA256Digest {
        throw ParticipantError.unexpectedResponse(reason: "nothing may be published in this test")
    }

    func send(_ payload: Payload) async throws {
        self.sent.append(payload)
    }

    nonisolated func salt(taskID: UInt64, round: UInt32, purpose: String) -> [UInt8] {
        [UInt8](repeating: 0, count: RoundCommitment.saltLength)
    }

    nonisolated var sealingKey: SealingKey { SealingKey(deriving: Array(self.address.description.utf8)) }
}
