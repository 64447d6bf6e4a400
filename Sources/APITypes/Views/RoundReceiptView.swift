// APITypes: a member's receipt for a training round in JSON: what it did, how it was judged, and why it got what it got.

public import DeAICore
public import Ledger

/// What one member of a task did in one round and what it was paid or slashed for it, with every number the chain
/// used and the formulas with those numbers filled in, so that a contributor or an evaluator can check its pay by
/// hand. Built from the committed round record and the task's terms; with `?prove=true`, ``proof`` proves the
/// round's entry (the task's terms are proven by `GET /v1/tasks/{id}?prove=true`).
///
/// ```json
/// {"task_id": 1, "round": 1, "address": "deai1…", "result": "new_version",
///  "pay": {"budget": 5000, "improvement": 31000, "earned": 3100, …},
///  "contributor": {"verdict": "accepted", "consensus_score": 3000, "reward": 1860, "formula": "earned = …"}}
/// ```
public struct RoundReceiptView: Codable, Sendable, Hashable {
    /// The task.
    public var taskID: UInt64
    /// The round number.
    public var round: UInt32
    /// The member the receipt is for.
    public var address: Address
    /// How the round ended: only a `new_version` round pays; `pending` while it runs.
    public var result: RoundResult
    /// What the round could pay and how it divides it.
    public var pay: RoundPayView
    /// The member's part as a trainer, when it was selected or committed an update.
    public var contributor: ContributorReceiptView?
    /// The member's part as an evaluator, when it committed scores.
    public var evaluator: EvaluatorReceiptView?
    /// The committed height the receipt is read at.
    public var height: Height
    /// The proof of the round's entry, when asked for.
    public var proof: AccountProofView?

    private enum CodingKeys: String, CodingKey {
        case round, address, result, pay, contributor, evaluator, height, proof, taskID = "task_id"
    }
}

/// The numbers a round's pay is made of, as the chain computed them.
public struct RoundPayView: Codable, Sendable, Hashable {
    /// The most the round could pay: the escrow divided by the rounds left when it closed (0 while it runs).
    public var budget: Amount
    /// The weighted median of the agreeing attesters' improvements of validation loss, in micro-nats.
    public var improvement: Int64
    /// The task's reward pool.
    public var rewardPool: Amount
    /// The task's number of rounds.
    public var rounds: UInt32
    /// The task's full-reward improvement, in micro-nats: the pool pays `reward_pool / rounds` for it.
    public var fullRewardImprovement: Int64
    /// What the round earned: `min(budget, reward_pool × improvement / (rounds × full_reward_improvement))`,
    /// nothing without an improvement or a new model version.
    public var earned: Amount
    /// The evaluators' share of ``earned``, in basis points (the task's).
    public var evaluatorShareBasisPoints: UInt16
    /// ``earned`` less the evaluators' part: what contributors share by positive consensus score.
    public var contributorsPart: Amount
    /// ``earned`` × the evaluators' share: what evaluators share by weight × agreement.
    public var evaluatorsPart: Amount
    /// The sum of the positive consensus scores of the accepted updates: the contributors' denominator.
    public var positiveScores: Amount
    /// The sum of the evaluators' shares (weight × agreement): the evaluators' denominator.
    public var evaluatorShares: Amount
    /// What the round paid in all; less than ``earned`` by rounding, or by a part nobody could take (it stays in
    /// escrow for later rounds).
    public var paid: Amount
    /// `earned = …` with the numbers filled in, or why the round pays nothing.
    public var formula: String

    private enum CodingKeys: String, CodingKey {
        case budget, improvement, rounds, earned, paid, formula
        case rewardPool = "reward_pool", fullRewardImprovement = "full_reward_improvement"
        case evaluatorShareBasisPoints = "evaluator_share_basis_points", contributorsPart = "contributors_part"
        case evaluatorsPart = "evaluators_part", positiveScores = "positive_scores"
        case evaluatorShares = "evaluator_shares"
    }
}

/// One evaluator's assessment of one update, as a receipt shows it: with the evaluator's weight in the medians and
/// the evidence of harm it gives at the task's confidence.
public struct ReceiptAssessmentView: Codable, Sendable, Hashable {
    /// The evaluator that measured.
    public var evaluator: Address
    /// The trainer whose update was measured.
    public var contributor: Address
    /// The evaluator's weight in the round's medians; absent until the scores are judged.
    public var weight: Amount?
    /// The update's value (Shapley), in micro-nats; 0 when excluded.
    public var score: Int64
    /// How much the aggregate's validation loss grows with the update, in micro-nats.
    public var harm: Int64
    /// The standard error of ``harm``.
    public var harmError: Int64
    /// `harm − harm_error × harm_confidence_hundredths / 100`, rounded toward zero.
    public var evidence: Int64
    /// Whether the evaluator's anomaly checks exclude the update.
    public var excluded: Bool

    private enum CodingKeys: String, CodingKey {
        case evaluator, contributor, weight, score, harm, evidence, excluded, harmError = "harm_error"
    }
}
