// DeAITesting: training tasks for tests.

public import DeAICore
public import Ledger

/// Training-task specs for tests: small, valid, and quick to run through their rounds.
public enum TrainingFixtures {
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
            fullRewardImprovement: fullRewardImprovement, trainingSettings: #"{"epochs":1}"#, evaluationSettings: "{}"
        )
    }
}
