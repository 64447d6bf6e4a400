// GeometricMedian: the smoothed-Weiszfeld geometric median of client updates.

/// Geometric median by smoothed Weiszfeld iterations (Pillutla, Kakade, Harchaoui 2022, "Robust Aggregation for
/// Federated Learning", RFA).
///
/// Starts from the weighted mean `v`, then `iterations` times: `βᵢ = wᵢ / max(ε, ‖v − xᵢ‖)`,
/// `v ← Σᵢ βᵢ·xᵢ / Σᵢ βᵢ`. The smoothing `ε` keeps the step defined when `v` lands on an update. A fixed iteration
/// count (no convergence test) makes the amount of work, and the result, the same everywhere.
///
/// **Determinism:** `v` stays in `Double` across iterations; norms and sums are accumulated in `Double` in client
/// and coordinate order, products and additions separate (no FMA); `squareRoot` and division are correctly rounded
/// by IEEE-754; one conversion to `Float` at the end. Same input order → same bits on every CPU.
///
/// - Complexity: O(iterations · n · d).
public enum GeometricMedian {
    /// The smoothed-Weiszfeld geometric median of `matrix`'s rows.
    ///
    /// - Throws: `FederationError.invalidParameter` unless `iterations ≥ 0` and `epsilon` is finite and positive;
    ///   `.weightCountMismatch` or `.zeroTotalWeight` if `weights` does not fit `matrix`.
    public static func aggregate(
        _ matrix: UpdateMatrix, weights: ClientWeights, iterations: Int, epsilon: Double
    ) throws(FederationError) -> [Float] {
        try checkWeights(weights, for: matrix)
        guard iterations >= 0 else {
            throw .invalidParameter(name: "geometricMedianIterations", reason: "must be ≥ 0, got \(iterations)")
        }
        guard epsilon.isFinite, epsilon > 0 else {
            throw .invalidParameter(name: "geometricMedianEpsilon", reason: "must be finite and > 0, got \(epsilon)")
        }
        let n = matrix.clientCount
        let d = matrix.dimension
        var v = weightedMeanDouble(matrix, weights: weights)
        var difference = [Double](repeating: 0, count: d)
        for _ in 0..<iterations {
            var next = [Double](repeating: 0, count: d)
            var betaSum = 0.0
            for i in 0..<n {
                for j in 0..<d { difference[j] = v[j] - Double(matrix[i, j]) }
                let beta = weights.values[i] / max(epsilon, euclideanNorm(difference))
                betaSum = betaSum + beta
                for j in 0..<d {
                    let product = beta * Double(matrix[i, j])
                    next[j] = next[j] + product
                }
            }
            for j in 0..<d { next[j] = next[j] / betaSum }
            v = next
        }
        return toFloat(v)
    }
}
