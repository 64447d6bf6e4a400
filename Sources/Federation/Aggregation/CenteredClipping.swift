// CenteredClipping: iterative clipping around the previous aggregate.

/// Centered clipping (Karimireddy, He, Jaggi 2021, "Learning from History for Byzantine Robust Optimization").
///
/// Starting from `v` (the previous round's aggregate, or zero), `iterations` times:
/// `v ← v + Σᵢ wᵢ·clip(xᵢ − v, τ) / Σᵢ wᵢ`, where `clip(z, τ) = z · min(1, τ / ‖z‖)`. Each client moves `v` by at
/// most `τ·wᵢ/Σw` per iteration, so one huge update cannot drag the aggregate far.
///
/// **Determinism:** `v` stays in `Double`; norms and sums are accumulated in `Double` in client and coordinate
/// order with products and additions separate (no FMA); division and `squareRoot` are correctly rounded; one
/// conversion to `Float` at the end. Same input order → same bits on every CPU.
///
/// - Complexity: O(iterations · n · d).
public enum CenteredClipping {
    /// The centered-clipping aggregate of `matrix`'s rows.
    ///
    /// - Parameters:
    ///   - start: the previous aggregate (`dimension` finite values), or `nil` for zero.
    ///   - radius: `τ > 0`.
    ///   - iterations: `L ≥ 0`.
    /// - Throws: `FederationError.invalidParameter` for a bad `radius`, `iterations` or `start`;
    ///   `.weightCountMismatch` or `.zeroTotalWeight` if `weights` does not fit `matrix`.
    public static func aggregate(
        _ matrix: UpdateMatrix, weights: ClientWeights, start: [Float]?, radius: Double, iterations: Int
    ) throws(FederationError) -> [Float] {
        try checkWeights(weights, for: matrix)
        let d = matrix.dimension
        guard radius.isFinite, radius > 0 else {
            throw .invalidParameter(name: "clippingRadius", reason: "must be finite and > 0, got \(radius)")
        }
        guard iterations >= 0 else {
            throw .invalidParameter(name: "clippingIterations", reason: "must be ≥ 0, got \(iterations)")
        }
        var v = [Double](repeating: 0, count: d)
        if let start {
            guard start.count == d else {
                throw .invalidParameter(
                    name: "previousAggregate", reason: "has \(start.count) values, updates have \(d)")
            }
            for (j, value) in start.enumerated() {
                guard value.isFinite else {
                    throw .invalidParameter(name: "previousAggregate", reason: "non-finite value at coordinate \(j)")
                }
                v[j] = Double(value)
            }
        }
        var difference = [Double](repeating: 0, count: d)
        for _ in 0..<iterations {
            var step = [Double](repeating: 0, count: d)
            for i in 0..<matrix.clientCount {
                for j in 0..<d { difference[j] = Double(matrix[i, j]) - v[j] }
                let norm = euclideanNorm(difference)
                let scale = norm > radius ? radius / norm : 1.0
                let factor = weights.values[i] * scale
                for j in 0..<d {
                    let product = factor * difference[j]
                    step[j] = step[j] + product
                }
            }
            for j in 0..<d {
                let move = step[j] / weights.total
                v[j] = v[j] + move
            }
        }
        return toFloat(v)
    }
}
