// EvaluationSettings: how an evaluator scores a round's updates.

/// How an ``UpdateEvaluator`` scores a round's updates: the Shapley estimator, the anomaly thresholds and the harm
/// of an update that cannot be evaluated.
///
/// The defaults were chosen by measurement on digits and breast cancer (see <doc:FederatedRounds>).
public struct EvaluationSettings: Codable, Sendable, Hashable {
    /// How a coalition's updates are combined before its validation loss is measured.
    ///
    /// Every update weighs the same in both. Measured on digits and breast cancer with sample-weighted
    /// coalitions (8 honest IID clients of 4–18% of the data, rounds 0–3, 3 seeds): with ``coalitionAverage``
    /// 10–40% of honest clients scored ≤ 0, because a small client's shorter step dilutes the coalition's mean;
    /// with ``roundShare`` none did, and Monte Carlo ranked like exact Shapley (Spearman ≥ 0.99).
    public enum CoalitionValue: String, Codable, Sendable, Hashable, CaseIterable {
        /// The coalition's own mean: "the model if only S took part".
        case coalitionAverage = "coalition_average"
        /// The coalition's share of the round's mean step, `Σ_{i∈S} δᵢ / c` over the `c` clean updates: "S's part
        /// of the step the round takes". Adding an update never shrinks the others' contributions.
        case roundShare = "round_share"
    }

    /// How a coalition's updates are combined.
    public var coalitionValue: CoalitionValue
    /// Exact Shapley values when at most this many updates enter the game (0…16), Monte Carlo above.
    public var exactShapleyLimit: Int
    /// Sampled permutations of the Monte-Carlo estimator.
    public var monteCarloPermutations: Int
    /// GTG truncation: within a permutation, stop once the prefix is within this much validation loss (nats) of
    /// the whole set. 0 disables truncation.
    public var truncationTolerance: Double
    /// The seed of the Monte-Carlo permutations.
    public var seed: UInt64
    /// An update whose norm exceeds this multiple of the median norm is ``UpdateAnomaly/tooLarge``.
    public var tooLargeNormRatio: Double
    /// An update whose norm is at most this fraction of the median norm is ``UpdateAnomaly/nearZero``.
    public var nearZeroNormRatio: Double
    /// An update whose cosine with the coordinate-wise median of the updates is below this is
    /// ``UpdateAnomaly/opposedDirection``.
    public var opposedCosine: Double
    /// An update whose cosine with the mean of the updates revealed in the previous round is above this is
    /// ``UpdateAnomaly/stale``: a copy of what was already revealed. Above 1 disables the check.
    public var staleCosine: Double
    /// How the round's aggregate moves the global model (FedAvg by default, FedAvgM with momentum).
    public var server: ServerOptimizer
    /// The harm (nats) of an update that cannot be evaluated at all: non-finite or of the wrong length.
    public var invalidPenalty: Double

    /// Evaluation settings; every parameter has a measured default.
    public init(
        coalitionValue: CoalitionValue = .roundShare,
        exactShapleyLimit: Int = 12,
        monteCarloPermutations: Int = 16,
        truncationTolerance: Double = 0.002,
        seed: UInt64 = 0,
        tooLargeNormRatio: Double = 4,
        nearZeroNormRatio: Double = 0.01,
        opposedCosine: Double = -0.2,
        staleCosine: Double = 0.98,
        server: ServerOptimizer = ServerOptimizer(),
        invalidPenalty: Double = 1
    ) {
        self.server = server
        self.staleCosine = staleCosine
        self.coalitionValue = coalitionValue
        self.exactShapleyLimit = exactShapleyLimit
        self.monteCarloPermutations = monteCarloPermutations
        self.truncationTolerance = truncationTolerance
        self.seed = seed
        self.tooLargeNormRatio = tooLargeNormRatio
        self.nearZeroNormRatio = nearZeroNormRatio
        self.opposedCosine = opposedCosine
        self.invalidPenalty = invalidPenalty
    }

    /// Checks every range.
    /// - Throws: ``FederationError/invalidParameter(name:reason:)`` naming the first setting out of range.
    public func validate() throws(FederationError) {
        try self.server.validate()
        guard (0...16).contains(self.exactShapleyLimit) else {
            throw .invalidParameter(name: "exactShapleyLimit", reason: "\(self.exactShapleyLimit) is outside 0...16")
        }
        guard self.monteCarloPermutations >= 1 else {
            throw .invalidParameter(name: "monteCarloPermutations", reason: "\(self.monteCarloPermutations) < 1")
        }
        let nonNegative: [(String, Double)] = [
            ("truncationTolerance", self.truncationTolerance), ("nearZeroNormRatio", self.nearZeroNormRatio),
            ("invalidPenalty", self.invalidPenalty),
        ]
        for (name, value) in nonNegative where !(value.isFinite && value >= 0) {
            throw .invalidParameter(name: name, reason: "\(value) must be finite and non-negative")
        }
        guard self.tooLargeNormRatio.isFinite, self.tooLargeNormRatio > 1 else {
            throw .invalidParameter(name: "tooLargeNormRatio", reason: "\(self.tooLargeNormRatio) must be above 1")
        }
        guard self.nearZeroNormRatio < 1 else {
            throw .invalidParameter(name: "nearZeroNormRatio", reason: "\(self.nearZeroNormRatio) must be below 1")
        }
        guard (-1.0...1.0).contains(self.opposedCosine) else {
            throw .invalidParameter(name: "opposedCosine", reason: "\(self.opposedCosine) is outside -1...1")
        }
        guard self.staleCosine.isFinite, self.staleCosine > 0 else {
            throw .invalidParameter(name: "staleCosine", reason: "\(self.staleCosine) must be above 0")
        }
    }
}
