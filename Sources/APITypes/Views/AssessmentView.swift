// APITypes: an evaluator's assessment of one update in JSON.

public import Ledger

/// One evaluator's measurement of one update on its held-out data, as revealed in `reveal_scores`. Every figure is
/// in micro-nats of validation loss.
public struct AssessmentView: Codable, Sendable, Hashable {
    /// The update's value: its Shapley value among the updates the evaluator found clean; 0 when excluded.
    public var score: Int64
    /// How much the round's aggregate's mean validation loss grows with the update: positive when it hurts.
    public var harm: Int64
    /// The standard error of ``harm`` over the evaluator's examples.
    public var harmError: Int64
    /// Whether the evaluator's anomaly checks (norm, direction, copy) exclude the update from the aggregate.
    public var excluded: Bool

    private enum CodingKeys: String, CodingKey {
        case score, harm, excluded, harmError = "harm_error"
    }

    /// The view of `assessment`.
    public init(_ assessment: UpdateAssessment) {
        self.score = assessment.score
        self.harm = assessment.harm
        self.harmError = assessment.harmError
        self.excluded = assessment.excluded
    }
}
