// AggregationRule, AggregationConfiguration and aggregate(_:weights:rule:configuration:), the entry point.

/// The robust aggregation rules a training task may name on chain.
///
/// The raw values are the names stored in task definitions and configuration files: never rename them.
public enum AggregationRule: String, Codable, CaseIterable, Sendable, Hashable {
    /// Sample-weighted mean. See `FedAvg`.
    case fedavg
    /// Coordinate-wise median. See `CoordinateMedian`.
    case median
    /// Coordinate-wise trimmed mean. See `TrimmedMean`.
    case trimmedMean = "trimmed_mean"
    /// Multi-Krum. See `MultiKrum`.
    case multiKrum = "multi_krum"
    /// Smoothed-Weiszfeld geometric median. See `GeometricMedian`.
    case geometricMedian = "geometric_median"
    /// Centered clipping. See `CenteredClipping`.
    case centeredClipping = "centered_clipping"
}

/// Parameters of the aggregation rules; each rule reads only its own.
///
/// Defaults follow `REFERENCE-FIGURES.md` where it gives them (centered clipping τ = 1, L = 3).
public struct AggregationConfiguration: Codable, Sendable, Hashable {
    /// Trimmed mean: values dropped from each side of every coordinate.
    public var trimCount: Int
    /// Multi-Krum: `f`, the number of adversarial clients tolerated.
    public var byzantineCount: Int
    /// Multi-Krum: `m`, the number of clients averaged; `nil` means `n − f`. Use 1 for Krum.
    public var krumSelectionCount: Int?
    /// Geometric median: number of Weiszfeld iterations (fixed, no convergence test).
    public var geometricMedianIterations: Int
    /// Geometric median: smoothing `ε`, the smallest distance a weight is divided by.
    public var geometricMedianEpsilon: Double
    /// Centered clipping: radius `τ`.
    public var clippingRadius: Double
    /// Centered clipping: iterations `L`.
    public var clippingIterations: Int
    /// Centered clipping: the starting point (the previous round's aggregate); `nil` means zero.
    public var previousAggregate: [Float]?

    /// A configuration; every parameter has a default.
    public init(
        trimCount: Int = 1,
        byzantineCount: Int = 0,
        krumSelectionCount: Int? = nil,
        geometricMedianIterations: Int = 32,
        geometricMedianEpsilon: Double = 1e-6,
        clippingRadius: Double = 1,
        clippingIterations: Int = 3,
        previousAggregate: [Float]? = nil
    ) {
        self.trimCount = trimCount
        self.byzantineCount = byzantineCount
        self.krumSelectionCount = krumSelectionCount
        self.geometricMedianIterations = geometricMedianIterations
        self.geometricMedianEpsilon = geometricMedianEpsilon
        self.clippingRadius = clippingRadius
        self.clippingIterations = clippingIterations
        self.previousAggregate = previousAggregate
    }
}

/// Aggregates client updates with `rule`: the one entry point for rounds, evaluators and tests.
///
/// ```swift
/// let next = try aggregate([[1, 2], [3, 4], [100, -100]], rule: .median)
/// let digest = SHA256.hash(canonicalBytes(next))  // in DeAICore
/// ```
///
/// **Determinism:** every rule accumulates in `Double` in a fixed order (clients as given, coordinates in order),
/// without FMA, SIMD reductions or parallelism, sorts with a total order broken by client index, and converts to
/// `Float` once at the end. The same `updates` (in the same order), `weights`, `rule` and `configuration` give the
/// same bits on every CPU, so `canonicalBytes` of the result can be hashed and attested.
///
/// - Parameters:
///   - updates: one model delta per client, all of the same length, finite.
///   - weights: sample counts, one per client; `nil` for equal weights. Used by FedAvg, geometric median and
///     centered clipping; validated but ignored by the others.
///   - rule: the aggregation rule.
///   - configuration: the rule's parameters.
/// - Returns: the aggregate, of the updates' length.
/// - Throws: `FederationError` for invalid updates, weights or parameters.
/// - Complexity: O(n·d) for FedAvg; O(d·n log n) for median and trimmed mean; O(n²·d) for Multi-Krum;
///   O(iterations·n·d) for geometric median and centered clipping.
public func aggregate(
    _ updates: [[Float]],
    weights: [UInt64]? = nil,
    rule: AggregationRule,
    configuration: AggregationConfiguration = AggregationConfiguration()
) throws(FederationError) -> [Float] {
    let matrix = try UpdateMatrix(updates)
    let clientWeights = try ClientWeights(weights, clientCount: matrix.clientCount)
    switch rule {
    case .fedavg:
        return try FedAvg.aggregate(matrix, weights: clientWeights)
    case .median:
        return CoordinateMedian.aggregate(matrix)
    case .trimmedMean:
        return try TrimmedMean.aggregate(matrix, trim: configuration.trimCount)
    case .multiKrum:
        let f = configuration.byzantineCount
        let m = configuration.krumSelectionCount ?? (matrix.clientCount - f)
        return try MultiKrum.aggregate(matrix, byzantine: f, selected: m)
    case .geometricMedian:
        return try GeometricMedian.aggregate(
            matrix, weights: clientWeights,
            iterations: configuration.geometricMedianIterations, epsilon: configuration.geometricMedianEpsilon)
    case .centeredClipping:
        return try CenteredClipping.aggregate(
            matrix, weights: clientWeights, start: configuration.previousAggregate,
            radius: configuration.clippingRadius, iterations: configuration.clippingIterations)
    }
}
