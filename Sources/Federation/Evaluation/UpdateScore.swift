// UpdateScore and UpdateAnomaly: one evaluator's verdict on one update.

/// Something an evaluator noticed about an update before measuring it.
///
/// The raw values are the names used in logs and APIs: never rename them.
public enum UpdateAnomaly: String, Codable, Sendable, Hashable, CaseIterable {
    /// The update does not have the model's parameter count. Harmful; it cannot be evaluated.
    case wrongDimension = "wrong_dimension"
    /// The update holds a NaN or an infinity. Harmful; it cannot be evaluated.
    case nonFinite = "non_finite"
    /// The norm is at most `nearZeroNormRatio` × the median norm: a free rider. Scores exactly 0.
    case nearZero = "near_zero"
    /// The update is bit-identical to an earlier update of the round (a replay). Scores exactly 0; the earlier one
    /// keeps the credit.
    case duplicate
    /// The norm exceeds `tooLargeNormRatio` × the median norm (boosting, noise). Harmful.
    case tooLarge = "too_large"
    /// The cosine with the coordinate-wise median of the round's updates is below `opposedCosine` (sign flipping).
    /// Harmful.
    case opposedDirection = "opposed_direction"

    /// Whether the anomaly makes an update harmful (negative score) whatever its measured value.
    public var isHarmful: Bool {
        switch self {
        case .wrongDimension, .nonFinite, .tooLarge, .opposedDirection: true
        case .nearZero, .duplicate: false
        }
    }
}

/// One evaluator's verdict on one update of a round.
public struct UpdateScore: Sendable, Hashable {
    /// The measured contribution, in nats of validation loss. For a clean update (no anomaly), its Shapley value in
    /// the game of the round's clean updates. For a harmful update that can be evaluated (``UpdateAnomaly/tooLarge``,
    /// ``UpdateAnomaly/opposedDirection``), its marginal gain when added to all clean updates. 0 for the others.
    public var shapley: Double
    /// The anomalies found, in ``UpdateAnomaly/allCases`` order.
    public var anomalies: [UpdateAnomaly]
    /// What goes on chain: micro-units (`round(value × 1_000_000)`, clamped to ±1_000_000_000). Negative means
    /// harmful, 0 worthless, positive useful. `value` is ``shapley`` for clean updates, 0 for near-zero and
    /// duplicate updates, `min(shapley, −harmfulFloor)` for harmful ones and `−invalidPenalty` for updates that
    /// cannot be evaluated.
    public var score: Int64

    /// A score.
    public init(shapley: Double, anomalies: [UpdateAnomaly], score: Int64) {
        self.shapley = shapley
        self.anomalies = anomalies
        self.score = score
    }

    /// The largest magnitude of an on-chain score.
    public static let scoreLimit: Int64 = 1_000_000_000

    /// `value` (nats) as on-chain micro-units: `round(value × 1_000_000)` to nearest, ties away from zero, clamped to
    /// ±``scoreLimit``; NaN counts as the most harmful score.
    public static func microUnits(_ value: Double) -> Int64 {
        guard !value.isNaN else { return -Self.scoreLimit }
        let scaled = (value * 1_000_000).rounded(.toNearestOrAwayFromZero)
        let limit = Double(Self.scoreLimit)
        return Int64(min(max(scaled, -limit), limit))
    }
}
