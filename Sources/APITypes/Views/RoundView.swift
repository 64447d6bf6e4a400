// APITypes: a training round in JSON, with everything needed to audit it.

public import DeAICore
public import Ledger

/// One round of a task: who was selected, what they committed and revealed, how each update was judged, the
/// evaluators' assessments, weights, payouts and attestations, what the round could pay and paid, and how it ended.
/// With `?prove=true`, a proof of its state entry (`StateKey.round(taskID:number:)`, whose value decodes with
/// `TrainingRound(canonicalEncoding:)`).
public struct RoundView: Codable, Sendable, Hashable {
    /// The task.
    public var taskID: UInt64
    /// The round number, from 1.
    public var round: UInt32
    /// The height of the block at whose end the round opened.
    public var openedHeight: Height
    /// The model the round trains from.
    public var baseModel: SHA256Digest
    /// Its version number.
    public var baseVersion: UInt32
    /// The base model's parent when the previous round made the base model (what a server optimizer's momentum
    /// needs); absent otherwise.
    public var baseParent: SHA256Digest?
    /// The selected trainers, by address.
    public var selected: [Address]
    /// In a task with sealed updates, the evaluators' keys every update of the round is sealed to; else absent.
    public var sealingKeys: [SealingPublicKey]?
    /// The selected trainers' update commitments, by trainer address.
    public var updateCommitments: [CommitmentView]
    /// The revealed updates, by contributor address: the order of every evaluator's assessments and of aggregation.
    public var updates: [UpdateView]
    /// Trainers whose revealed blob repeated one already revealed in the task: kept out, unpaid.
    public var copies: [Address]
    /// The evaluators' score commitments, by evaluator address.
    public var scoreCommitments: [CommitmentView]
    /// Every revealed set of assessments, by evaluator address, with its weight once the scores were judged.
    public var scores: [ScoresView]
    /// Members that committed and did not reveal in time, by address: each forfeited the task's reveal deposit.
    public var forfeited: [Address]
    /// What evaluators were paid, by evaluator address.
    public var evaluatorPayouts: [PayoutView]
    /// Every attestation, by evaluator address.
    public var attestations: [AttestationView]
    /// The most the round could pay: the escrow divided by the rounds left when it closed (0 while it runs).
    public var budget: Amount
    /// The weighted median of the agreeing attesters' improvements, in micro-nats (0 without an agreed model).
    public var improvement: Int64
    /// The weighted median of the agreeing attesters' standard errors of their improvements, in micro-nats.
    public var improvementError: Int64
    /// What the round paid in all, to contributors and evaluators.
    public var earned: Amount
    /// `pending`, `new_version`, `no_updates`, `no_scores`, `too_few_accepted`, `no_quorum` or `regression`.
    public var result: RoundResult
    /// The new model's blob hash when ``result`` is `new_version`.
    public var resultModel: SHA256Digest?
    /// The committed height the round is read at; absent when the round is embedded in a model version.
    public var height: Height?
    /// The proof of the round's entry, when asked for.
    public var proof: AccountProofView?

    private enum CodingKeys: String, CodingKey {
        case sealingKeys = "sealing_keys"
        case round, selected, updates, copies, scores, forfeited, attestations, budget, improvement, earned, result
        case height, proof
        case taskID = "task_id", openedHeight = "opened_height", baseModel = "base_model"
        case improvementError = "improvement_error"
        case baseVersion = "base_version", baseParent = "base_parent", updateCommitments = "update_commitments"
        case scoreCommitments = "score_commitments", evaluatorPayouts = "evaluator_payouts"
        case resultModel = "result_model"
    }

    /// The view of `round`, read at `height` (`nil` when embedded), with `proof` when given.
    public init(_ round: TrainingRound, height: Height?, proof: AccountProofView? = nil) {
        self.taskID = round.taskID
        self.round = round.number
        self.openedHeight = round.openedHeight
        self.baseModel = round.baseModel
        self.baseVersion = round.baseVersion
        self.baseParent = round.baseParent
        self.selected = round.selected
        self.sealingKeys = round.sealingKeys.isEmpty ? nil : round.sealingKeys
        self.updateCommitments = round.updateCommitments.map(CommitmentView.init)
        self.updates = round.updates.enumerated().map { index, update in
            UpdateView(update, verdict: index < round.verdicts.count ? round.verdicts[index] : nil)
        }
        self.copies = round.copies
        self.scoreCommitments = round.scoreCommitments.map(CommitmentView.init)
        self.scores = round.scores.enumerated().map { index, scores in
            ScoresView(scores, weight: index < round.weights.count ? round.weights[index] : nil)
        }
        self.forfeited = round.forfeited
        self.evaluatorPayouts = round.evaluatorPayouts.map(PayoutView.init)
        self.attestations = round.attestations.map(AttestationView.init)
        self.budget = round.budget
        self.improvement = round.improvement
        self.improvementError = round.improvementError
        self.earned = round.earned
        self.result = round.result
        self.resultModel = round.resultModel
        self.height = height
        self.proof = proof
    }
}
