// APITypes: the terms of a training task in JSON, convertible back to the ledger's spec.

public import DeAICore
public import Ledger

/// A task's terms with snake_case names; ``spec`` rebuilds the ledger's ``Ledger/TaskSpec``.
///
/// ```json
/// {"name": "tumour classifier", "rounds": 2, "reward_pool": 10000, "aggregation_rule": "fedavg", …}
/// ```
public struct TaskSpecView: Codable, Sendable, Hashable {
    /// A short name for people.
    public var name: String
    /// The model architecture, as the JSON of a `Learning.ModelSpec`.
    public var modelSpec: String
    /// What the data must look like.
    public var dataSchema: String
    /// The blob hash of the initial weights (version 0).
    public var initialModel: SHA256Digest
    /// How many rounds the task runs.
    public var rounds: UInt32
    /// How many trainers each round selects.
    public var participantsPerRound: UInt32
    /// Blocks of enrollment before round 1.
    public var enrollmentBlocks: UInt32
    /// Longest update-commit phase, in blocks.
    public var updateBlocks: UInt32
    /// Longest score-commit phase, in blocks.
    public var scoreBlocks: UInt32
    /// Longest reveal phase (of updates, then of scores), in blocks.
    public var revealBlocks: UInt32
    /// Longest attestation phase, in blocks.
    public var attestBlocks: UInt32
    /// Tokens escrowed for rewards.
    public var rewardPool: Amount
    /// The aggregation rule: `fedavg`, `median`, `trimmed_mean`, `multi_krum`, `geometric_median` or
    /// `centered_clipping`.
    public var aggregationRule: String
    /// Smallest stake with which a member joins.
    public var minimumStake: Amount
    /// Evaluators' share of each round's reward, in basis points.
    public var evaluatorShareBasisPoints: UInt16
    /// Share of a harmful contributor's stake slashed, in basis points.
    public var slashBasisPoints: UInt16
    /// Stake forfeited (burned) by a member that commits and does not reveal in time.
    public var revealDeposit: Amount
    /// The fewest evaluators whose revealed scores judge a round.
    public var minimumEvaluators: UInt32
    /// The fewest accepted updates a new model version aggregates.
    public var minimumAccepted: UInt32
    /// An update is harmful when the weighted median evidence of harm exceeds this, in micro-nats.
    public var harmTolerance: Int64
    /// The standard errors, in hundredths, subtracted from a measured harm to make evidence (300: three).
    public var harmConfidenceHundredths: UInt16
    /// How much worse than its parent (micro-nats of validation loss) a new model may be before the round fails.
    public var regressionTolerance: Int64
    /// The standard errors, in hundredths, a measured regression must exceed the tolerance by (0: none).
    public var regressionConfidenceHundredths: UInt16
    /// The improvement (micro-nats) worth `reward_pool / rounds`: the rate at which every round earns, up to its
    /// budget.
    public var fullRewardImprovement: Int64
    /// How trainers train, as JSON text.
    public var trainingSettings: String
    /// How evaluators score, as JSON text.
    public var evaluationSettings: String
    /// The differential privacy owners train with, the budget each may spend and its accounting; absent for a
    /// task without DP.
    public var privacy: PrivacyTerms?
    /// Whether trainers seal their updates to the task's evaluators.
    public var sealedUpdates: Bool

    private enum CodingKeys: String, CodingKey {
        case name, rounds
        case modelSpec = "model_spec", dataSchema = "data_schema", initialModel = "initial_model"
        case participantsPerRound = "participants_per_round", enrollmentBlocks = "enrollment_blocks"
        case updateBlocks = "update_blocks", scoreBlocks = "score_blocks", revealBlocks = "reveal_blocks"
        case attestBlocks = "attest_blocks"
        case rewardPool = "reward_pool", aggregationRule = "aggregation_rule", minimumStake = "minimum_stake"
        case evaluatorShareBasisPoints = "evaluator_share_basis_points", slashBasisPoints = "slash_basis_points"
        case revealDeposit = "reveal_deposit", minimumEvaluators = "minimum_evaluators"
        case minimumAccepted = "minimum_accepted", harmTolerance = "harm_tolerance"
        case harmConfidenceHundredths = "harm_confidence_hundredths", regressionTolerance = "regression_tolerance"
        case regressionConfidenceHundredths = "regression_confidence_hundredths"
        case fullRewardImprovement = "full_reward_improvement", trainingSettings = "training_settings"
        case evaluationSettings = "evaluation_settings", privacy, sealedUpdates = "sealed_updates"
    }

    /// The view of `spec`.
    public init(_ spec: TaskSpec) {
        self.name = spec.name
        self.modelSpec = spec.modelSpec
        self.dataSchema = spec.dataSchema
        self.initialModel = spec.initialModel
        self.rounds = spec.rounds
        self.participantsPerRound = spec.participantsPerRound
        self.enrollmentBlocks = spec.enrollmentBlocks
        self.updateBlocks = spec.updateBlocks
        self.scoreBlocks = spec.scoreBlocks
        self.revealBlocks = spec.revealBlocks
        self.attestBlocks = spec.attestBlocks
        self.rewardPool = spec.rewardPool
        self.aggregationRule = spec.aggregationRule
        self.minimumStake = spec.minimumStake
        self.evaluatorShareBasisPoints = spec.evaluatorShareBasisPoints
        self.slashBasisPoints = spec.slashBasisPoints
        self.revealDeposit = spec.revealDeposit
        self.minimumEvaluators = spec.minimumEvaluators
        self.minimumAccepted = spec.minimumAccepted
        self.harmTolerance = spec.harmTolerance
        self.harmConfidenceHundredths = spec.harmConfidenceHundredths
        self.regressionTolerance = spec.regressionTolerance
        self.regressionConfidenceHundredths = spec.regressionConfidenceHundredths
        self.fullRewardImprovement = spec.fullRewardImprovement
        self.trainingSettings = spec.trainingSettings
        self.evaluationSettings = spec.evaluationSettings
        self.privacy = spec.privacy
        self.sealedUpdates = spec.sealedUpdates
    }

    /// The ledger's spec.
    public var spec: TaskSpec {
        TaskSpec(
            name: self.name, modelSpec: self.modelSpec, dataSchema: self.dataSchema, initialModel: self.initialModel,
            rounds: self.rounds, participantsPerRound: self.participantsPerRound,
            enrollmentBlocks: self.enrollmentBlocks, updateBlocks: self.updateBlocks, scoreBlocks: self.scoreBlocks,
            revealBlocks: self.revealBlocks, attestBlocks: self.attestBlocks, rewardPool: self.rewardPool,
            aggregationRule: self.aggregationRule, minimumStake: self.minimumStake,
            evaluatorShareBasisPoints: self.evaluatorShareBasisPoints, slashBasisPoints: self.slashBasisPoints,
            revealDeposit: self.revealDeposit, minimumEvaluators: self.minimumEvaluators,
            minimumAccepted: self.minimumAccepted, harmTolerance: self.harmTolerance,
            harmConfidenceHundredths: self.harmConfidenceHundredths, regressionTolerance: self.regressionTolerance,
            regressionConfidenceHundredths: self.regressionConfidenceHundredths,
            fullRewardImprovement: self.fullRewardImprovement, trainingSettings: self.trainingSettings,
            evaluationSettings: self.evaluationSettings, privacy: self.privacy, sealedUpdates: self.sealedUpdates
        )
    }
}
