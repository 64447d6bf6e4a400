// DeAITesting: training tasks for tests.

public import DeAICore
public import Ledger

/// Training-task specs for tests: small, valid, and quick to run through their rounds.
public enum TrainingFixtures {
    /// A model spec a server can build: 30 features, one dense layer to 2 classes (62 parameters).
    public static let servableModelSpec = #"{"inputShape":[30],"layers":[{"type":"dense","units":2}]}"#

    /// ``spec(rounds:participantsPerRound:rewardPool:phaseBlocks:minimumStake:minimumEvaluators:minimumAccepted:harmTolerance:regressionConfidenceHundredths:fullRewardImprovement:)``
    /// with `minimumEvaluators` and ``servableModelSpec``: a task whose model versions can be served.
    public static func servableSpec(minimumEvaluators: UInt32 = 3) -> TaskSpec {
        var spec = self.spec(minimumEvaluators: minimumEvaluators)
        spec.modelSpec = self.servableModelSpec
        return spec
    }

    /// A valid spec; every argument has a test-sized default.
    public static func spec(
        rounds: UInt32 = 2,
        participantsPerRound: UInt32 = 3,
        rewardPool: Amount = 10_000,
        phaseBlocks: UInt32 = 5,
        minimumStake: Amount = 100,
        minimumEvaluators: UInt32 = 1,
        minimumAccepted: UInt32 = 1,
        harmTolerance: Int64 = 0,
        regressionConfidenceHundredths: UInt16 = 0,
        fullRewardImprovement: Int64 = 50_000
    ) -> TaskSpec {
        TaskSpec(
            name: "tumour classifier", modelSpec: #"{"input_shape":[30],"layers":[{"dense":2}]}"#,
            dataSchema: "30 standardized features; label 0 malignant, 1 benign",
            initialModel: SHA256Digest(hashing: Array("initial weights".utf8)), rounds: rounds,
            participantsPerRound: participantsPerRound, enrollmentBlocks: 1, updateBlocks: phaseBlocks,
            scoreBlocks: phaseBlocks, revealBlocks: phaseBlocks, attestBlocks: phaseBlocks, rewardPool: rewardPool,
            aggregationRule: "fedavg", minimumStake: minimumStake, evaluatorShareBasisPoints: 2_000,
            slashBasisPoints: 5_000, revealDeposit: minimumStake / 10, minimumEvaluators: minimumEvaluators,
            minimumAccepted: min(minimumAccepted, participantsPerRound), harmTolerance: harmTolerance,
            regressionConfidenceHundredths: regressionConfidenceHundredths, fullRewardImprovement: fullRewardImprovement, trainingSettings: #"{"epochs":1}"#, evaluationSettings: "{}"
        )
    }
}

/// The payloads of a round's commit and reveal phases for test account `index` (``ChainFixtures/key(_:)``), with
/// a salt derived from the account, the task and the round.
public enum RoundPayloads {
    /// The salt test account `index` uses for `purpose` (`"update"` or `"scores"`) in a round.
    public static func salt(_ index: Int, taskID: UInt64, round: UInt32, _ purpose: String) -> [UInt8] {
        RoundCommitment.salt(secret: Array("secret \(index)".utf8), taskID: taskID, round: round, purpose: purpose)
    }

    /// `commit_update` of account `index` to `blob`.
    public static func commitUpdate(_ index: Int, taskID: UInt64, round: UInt32, blob: SHA256Digest) -> Payload {
        let commitment = RoundCommitment.update(
            taskID: taskID, round: round, contributor: ChainFixtures.address(index), blob: blob,
            salt: self.salt(index, taskID: taskID, round: round, "update"))
        return .commitUpdate(taskID: taskID, round: round, commitment: commitment)
    }

    /// `reveal_update` of account `index`, opening ``commitUpdate(_:taskID:round:blob:)``.
    public static func revealUpdate(
        _ index: Int, taskID: UInt64, round: UInt32, blob: SHA256Digest, sampleCount: UInt64 = 100
    ) -> Payload {
        .revealUpdate(
            taskID: taskID, round: round, blob: blob, sampleCount: sampleCount,
            salt: self.salt(index, taskID: taskID, round: round, "update"))
    }

    /// `commit_scores` of account `index` to `assessments`.
    public static func commitScores(
        _ index: Int, taskID: UInt64, round: UInt32, assessments: [UpdateAssessment]
    ) -> Payload {
        let commitment = RoundCommitment.scores(
            taskID: taskID, round: round, evaluator: ChainFixtures.address(index), assessments: assessments,
            salt: self.salt(index, taskID: taskID, round: round, "scores"))
        return .commitScores(taskID: taskID, round: round, commitment: commitment)
    }

    /// `reveal_scores` of account `index`, opening ``commitScores(_:taskID:round:assessments:)``.
    public static func revealScores(
        _ index: Int, taskID: UInt64, round: UInt32, assessments: [UpdateAssessment]
    ) -> Payload {
        .revealScores(
            taskID: taskID, round: round, assessments: assessments,
            salt: self.salt(index, taskID: taskID, round: round, "scores"))
    }

    /// A clean assessment of `score` micro-nats that finds the update harmless.
    public static func useful(_ score: Int64) -> UpdateAssessment {
        UpdateAssessment(score: score, harm: -1_000, harmError: 100, excluded: false)
    }
}
