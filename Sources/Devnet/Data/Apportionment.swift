// Apportionment: whole-sample shares of a count in given proportions.

/// Splits `total` into whole parts proportional to `weights` by the largest-remainder method: each part gets the
/// floor of its quota, and the samples left over go one each to the largest fractional remainders (ties to the
/// lower index). The parts always add up to `total`.
///
/// - Precondition: `weights` is non-empty, every weight is non-negative and at least one is positive.
/// - Complexity: O(n log n) for n weights.
func apportion(_ total: Int, weights: [Double]) -> [Int] {
    let sum = weights.reduce(0, +)
    precondition(!weights.isEmpty && sum > 0 && weights.allSatisfy { $0 >= 0 }, "invalid weights \(weights)")
    let quotas = weights.map { Double(total) * $0 / sum }
    var parts = quotas.map { Int($0.rounded(.down)) }
    let leftover = total - parts.reduce(0, +)
    let order = quotas.indices.sorted { lhs, rhs in
        let (a, b) = (quotas[lhs] - Double(parts[lhs]), quotas[rhs] - Double(parts[rhs]))
        return a != b ? a > b : lhs < rhs
    }
    for index in order.prefix(leftover) { parts[index] += 1 }
    return parts
}
