// ExactShapley: Shapley values by enumerating every coalition once.

/// The exact Shapley values of a cooperative game with `playerCount` players.
///
/// `φᵢ = Σ_{S ⊆ N∖{i}} |S|!·(n−|S|−1)!/n! · (u(S ∪ {i}) − u(S))` (Shapley 1953). Each of the 2ⁿ coalitions is
/// evaluated exactly once, in increasing bitmask order (player `i` is bit `i`), including the empty one, and the
/// results are kept, so `utility` runs 2ⁿ times.
///
/// The values satisfy efficiency (`Σφᵢ = u(N) − u(∅)`), symmetry (players whose marginals are always equal get
/// equal values) and the null-player property, up to floating-point rounding.
///
/// ```swift
/// let values = exactShapley(playerCount: 3) { coalition in coalition.filter { $0 }.count == 3 ? 1 : 0 }
/// // [1/3, 1/3, 1/3]
/// ```
///
/// **Determinism:** fixed evaluation and summation order; the same utilities give the same bits.
///
/// - Parameters:
///   - playerCount: the number of players, 0…16 (2¹⁶ utilities is already minutes of model evaluation; use
///     ``monteCarloShapley(playerCount:permutations:truncationTolerance:seed:utility:)`` beyond that).
///   - utility: the value of a coalition, given as one flag per player.
/// - Returns: one value per player.
/// - Complexity: 2ⁿ calls of `utility` plus O(n·2ⁿ).
public func exactShapley(playerCount: Int, utility: ([Bool]) throws -> Double) rethrows -> [Double] {
    precondition((0...16).contains(playerCount), "exactShapley supports 0...16 players, got \(playerCount)")
    let n = playerCount
    guard n > 0 else { return [] }
    let coalitionCount = 1 << n
    var values = [Double](repeating: 0, count: coalitionCount)
    var members = [Bool](repeating: false, count: n)
    for mask in 0..<coalitionCount {
        for player in 0..<n { members[player] = mask & (1 << player) != 0 }
        values[mask] = try utility(members)
    }
    // weight[s] = s!·(n−s−1)!/n!, built as a product of ratios to stay exact-ish and overflow-free.
    var weights = [Double](repeating: 0, count: n)
    for size in 0..<n {
        var weight = 1.0 / Double(n)
        for k in 0..<size { weight = weight * Double(size - k) / Double(n - 1 - k) }
        weights[size] = weight
    }
    var shapley = [Double](repeating: 0, count: n)
    for player in 0..<n {
        let bit = 1 << player
        var sum = 0.0
        for mask in 0..<coalitionCount where mask & bit == 0 {
            let marginal = values[mask | bit] - values[mask]
            sum = sum + weights[mask.nonzeroBitCount] * marginal
        }
        shapley[player] = sum
    }
    return shapley
}
