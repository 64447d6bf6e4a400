// APITypes: a trainer's part of a round receipt in JSON.

public import DeAICore
public import Ledger

/// What a trainer did in a round, how its update was judged, and its reward or slash with the formula.
public struct ContributorReceiptView: Codable, Sendable, Hashable {
    /// Whether the round selected it.
    public var selected: Bool
    /// Its update commitment; absent when it committed none.
    public var commitment: SHA256Digest?
    /// Whether it revealed its commitment (as a kept update or as a copy).
    public var revealed: Bool
    /// Whether its revealed blob repeated one already revealed in the task: kept out, unpaid.
    public var copy: Bool
    /// Whether it committed and did not reveal in time, forfeiting ``revealDeposit``.
    public var forfeited: Bool
    /// The task's reveal deposit, burned from the stake of a member that does not reveal (all of a smaller stake).
    public var revealDeposit: Amount
    /// The revealed update: blob hash, claimed sample count (never weighed), height.
    public var update: RoundView.UpdateView?
    /// Every revealed assessment of the update, by evaluator address.
    public var assessments: [ReceiptAssessmentView]
    /// The weighted lower median of the assessments' scores; absent until judged.
    public var consensusScore: Int64?
    /// The weighted lower median of the assessments' evidence of harm; absent until judged.
    public var evidence: Int64?
    /// The task's harm tolerance: an update whose ``evidence`` exceeds it is harmful.
    public var harmTolerance: Int64
    /// The task's confidence, in hundredths of a standard error, behind each evidence.
    public var harmConfidenceHundredths: UInt16
    /// `accepted`, `negative` (neither excluded nor harmful, but a negative consensus score larger than the
    /// contributor's earlier scores in the task: left out of the aggregate and unpaid), `excluded` (an anomaly for evaluators holding more than half of the weight) or
    /// `harmful`; absent until judged.
    public var verdict: String?
    /// The slash, when the update was harmful.
    public var slash: SlashView?
    /// Tokens paid for the update.
    public var reward: Amount
    /// How ``reward`` was computed, with the numbers filled in, or why it is zero.
    public var formula: String
    /// What the model version this round produced has paid the contributor from inference so far: its share of
    /// every claim on a channel serving that version or a descendant (`LineageRevenue`). Absent when the round
    /// produced no version.
    public var inferenceEarnings: Amount?

    private enum CodingKeys: String, CodingKey {
        case selected, commitment, revealed, copy, forfeited, update, assessments, evidence, verdict, slash, reward
        case formula, inferenceEarnings = "inference_earnings", revealDeposit = "reveal_deposit", consensusScore = "consensus_score"
        case harmTolerance = "harm_tolerance", harmConfidenceHundredths = "harm_confidence_hundredths"
    }

    /// A harmful update's slash and the evidence that caused it.
    public struct SlashView: Codable, Sendable, Hashable {
        /// Stake burned.
        public var amount: Amount
        /// The task's share of the stake slashed, in basis points.
        public var slashBasisPoints: UInt16
        /// The evidence of harm that exceeded the tolerance, in micro-nats.
        public var evidence: Int64
        /// The sentence that says so, with the numbers.
        public var reason: String

        private enum CodingKeys: String, CodingKey {
            case amount, evidence, reason, slashBasisPoints = "slash_basis_points"
        }
    }
}
