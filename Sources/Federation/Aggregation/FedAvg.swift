// FedAvg: the sample-weighted mean of client updates.

/// Federated averaging, FedAvg (McMahan et al. 2017): the sample-weighted mean of the updates.
///
/// `result[j] = Σᵢ wᵢ·xᵢⱼ / Σᵢ wᵢ`. Not robust: one client can move the result arbitrarily far.
///
/// **Determinism:** products and sums in `Double`, clients in the order given, coordinates in order, the product
/// and the addition as separate operations (no FMA), one division per coordinate, one conversion to `Float` at the
/// end. Same input order → same bits on every CPU. Permuting the clients changes the summation order and may change
/// the last bit.
///
/// - Complexity: O(n·d).
public enum FedAvg {
    /// The weighted mean of `matrix`'s rows.
    ///
    /// - Throws: `FederationError.weightCountMismatch` or `.zeroTotalWeight` if `weights` does not fit `matrix`.
    public static func aggregate(_ matrix: UpdateMatrix, weights: ClientWeights) throws(FederationError) -> [Float] {
        try checkWeights(weights, for: matrix)
        return toFloat(weightedMeanDouble(matrix, weights: weights))
    }
}
