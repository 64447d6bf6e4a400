// APITypes: an evaluator's part of a round receipt in JSON.

public import DeAICore
public import Ledger

/// What an evaluator did in a round: its commitment, assessments, weight, attestation, agreement, and its reward
/// with the formula.
public struct EvaluatorReceiptView: Codable, Sendable, Hashable {
    /// The hash of the held-out data it joined with.
    public var dataCommitment: SHA256Digest?
    /// Its score commitment.
    public var commitment: SHA256Digest?
    /// Whether it revealed its assessments.
    public var revealed: Bool
    /// Whether it committed and did not reveal in time, forfeiting ``revealDeposit``.
    public var forfeited: Bool
    /// The task's reveal deposit, burned from the stake of a member that does not reveal (all of a smaller stake).
    public var revealDeposit: Amount
    /// Its weight in the round's medians: its stake, the largest capped so that it decides no median alone;
    /// absent until the scores are judged.
    public var weight: Amount?
    /// Its revealed assessments, one per update in update order.
    public var assessments: [ReceiptAssessmentView]
    /// Its attestation of the aggregate.
    public var attestation: RoundView.AttestationView?
    /// Whether it attested the model that became the new version; absent without a new version.
    public var attestedResult: Bool?
    /// Share of its judgements that match the consensus, in basis points; absent when the round paid nobody.
    public var agreementBasisPoints: UInt16?
    /// Its share of the evaluators' part: `weight × agreement`; absent when the round paid nobody.
    public var share: Amount?
    /// Tokens paid.
    public var reward: Amount
    /// How ``reward`` was computed, with the numbers filled in, or why it is zero.
    public var formula: String

    private enum CodingKeys: String, CodingKey {
        case commitment, revealed, forfeited, weight, assessments, attestation, share, reward, formula
        case dataCommitment = "data_commitment", revealDeposit = "reveal_deposit"
        case attestedResult = "attested_result", agreementBasisPoints = "agreement_basis_points"
    }
}
