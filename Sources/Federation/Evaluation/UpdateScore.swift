// UpdateScore and UpdateAnomaly: one evaluator's verdict on one update.

/// Something an evaluator noticed about an update before measuring it. An update with an anomaly is excluded by
/// this evaluator: it stays out of the Shapley game and earns nothing. An anomaly is no evidence of harm on its own
/// (honest non-IID updates point away from the median); that is ``UpdateScore/harm``'s job.
///
/// The raw values are the names used in logs and APIs: never rename them.
public enum UpdateAnomaly: String, Codable, Sendable, Hashable, CaseIterable {
    /// The update does not have the model's parameter count; it cannot be evaluated.
    case wrongDimension = "wrong_dimension"
    /// The update holds a NaN or an infinity; it cannot be evaluated.
    case nonFinite = "non_finite"
    /// The norm is at most `nearZeroNormRatio` × the median norm: a free rider.
    case nearZero = "near_zero"
    /// The update is bit-identical to an earlier update of the round (a replay); the earlier one keeps the credit.
    case duplicate
    /// The norm exceeds `tooLargeNormRatio` × the median norm (boosting, noise).
    case tooLarge = "too_large"
    /// The cosine with the coordinate-wise median of the round's updates is below `opposedCosine` (sign flipping).
    case opposedDirection = "opposed_direction"
    /// The cosine with the mean of the updates revealed in the previous round is above `staleCosine`: a copy,
    /// perhaps perturbed, of what was already revealed — no new information.
    case stale
}

/// One evaluator's verdict on one update of a round: what it is worth, and how much it harms the round's model.
///
/// The two are separate measurements. ``score`` pays: the update's Shapley value among the updates this evaluator
/// did not exclude. ``harm`` and ``harmStandardError`` are evidence: the paired change of the per-example validation
/// loss that the update causes in the round's aggregate (``roundAggregate(_:rule:)``), with its sampling noise, so
/// that "harmful" can mean "worse beyond what the evaluator's sample explains" (for example `harm − 3·SE > 0`).
public struct UpdateScore: Sendable, Hashable {
    /// The update's Shapley value in nats of validation loss, in the game of the updates with no anomaly; 0 for an
    /// update with an anomaly.
    public var shapley: Double
    /// The anomalies found, in ``UpdateAnomaly/allCases`` order; any anomaly excludes the update.
    public var anomalies: [UpdateAnomaly]
    /// The mean over validation examples of `loss(global + with) − loss(global + without)`, in nats: the aggregate
    /// with the update against the aggregate without it. Positive means the update makes the model worse.
    /// `invalidPenalty` for an update that cannot be evaluated.
    public var harm: Double
    /// The standard error of ``harm``: the sample standard deviation of the per-example differences over `√n`
    /// (0 for one example, and for an update that cannot be evaluated).
    public var harmStandardError: Double

    /// A verdict.
    public init(shapley: Double, anomalies: [UpdateAnomaly], harm: Double, harmStandardError: Double) {
        self.shapley = shapley
        self.anomalies = anomalies
        self.harm = harm
        self.harmStandardError = harmStandardError
    }

    /// What goes on chain as the update's value: ``shapley`` in micro-units (``microUnits(_:)``) for an update with
    /// no anomaly, 0 for an excluded one. Positive is useful, 0 or below earns nothing; it says nothing about harm.
    public var score: Int64 { self.anomalies.isEmpty ? Self.microUnits(self.shapley) : 0 }

    /// The largest magnitude of an on-chain score.
    public static let scoreLimit: Int64 = 1_000_000_000

    /// `value` (nats) as on-chain micro-units: `round(value × 1_000_000)` to nearest, ties away from zero, clamped to
    /// ±``scoreLimit``; NaN counts as `−scoreLimit`.
    public static func microUnits(_ value: Double) -> Int64 {
        guard !value.isNaN else { return -Self.scoreLimit }
        let scaled = (value * 1_000_000).rounded(.toNearestOrAwayFromZero)
        let limit = Double(Self.scoreLimit)
        return Int64(min(max(scaled, -limit), limit))
    }
}
