// Finding the least noise that keeps a number of DP-SGD steps within a privacy target, for any accountant.

/// The search both accountants use to size σ: ε falls as σ grows, so the smallest σ within a target is found by
/// doubling and then bisecting, to 0.1 %.
enum NoiseMultiplierSearch {
    /// The smallest noise multiplier (to 0.1 %) whose `spent` ε is at most `target`.
    /// - Throws: ``PrivacyError/epsilonNotPositive(_:)`` for a target that is not positive,
    ///   ``PrivacyError/unreachableEpsilon(target:noiseMultiplier:epsilon:)`` when even σ = 1,000 spends more, and
    ///   what `spent` throws.
    static func smallest(
        within target: Double, spent: (Double) throws(PrivacyError) -> Double
    ) throws(PrivacyError) -> Double {
        guard target.isFinite, target > 0 else { throw .epsilonNotPositive(target) }
        var high = 1.0
        while try spent(high) > target {
            guard high < 1_000 else { throw .unreachableEpsilon(target: target, noiseMultiplier: high, epsilon: try spent(high)) }
            high *= 2
        }
        var low = high / 2
        while try spent(low) <= target, low > 1e-3 { low /= 2 }
        while high - low > high * 1e-3 {
            let middle = (low + high) / 2
            if try spent(middle) > target { low = middle } else { high = middle }
        }
        return high
    }
}
