// MonteCarloShapley: permutation-sampling Shapley estimates with GTG-style truncation.

internal import Learning

/// Estimates Shapley values by sampling permutations of the players, stopping each permutation early once its prefix
/// is already worth almost as much as everyone (GTG-Shapley's within-round truncation, Liu et al. 2022).
///
/// For each of `permutations` random orders, players join one by one; a player's sample is its marginal gain
/// `u(prefix ∪ {i}) − u(prefix)`. Once `|u(N) − u(prefix)| < truncationTolerance`, the remaining players of that
/// order get a marginal of 0 without evaluating `utility`. Each estimate is the mean of its samples. Coalition
/// utilities are cached, so a coalition met twice is evaluated once.
///
/// ```swift
/// let values = monteCarloShapley(playerCount: 100, permutations: 20, truncationTolerance: 0.001, seed: 7) {
///     coalition in try evaluator.utility(coalition)
/// }
/// ```
///
/// **Determinism:** the orders come from `Xoshiro256(seed: seed)` (Fisher–Yates with Lemire's bounded integers),
/// the summation order is fixed, and `u(∅)` and `u(N)` are evaluated first; the same seed and utilities give the
/// same bits.
///
/// - Parameters:
///   - playerCount: the number of players.
///   - permutations: sampled orders (at least 1; smaller values count as 1).
///   - truncationTolerance: the truncation threshold in utility units; 0 disables truncation.
///   - seed: the seed of the orders.
///   - utility: the value of a coalition, given as one flag per player.
/// - Returns: one estimate per player. Without truncation the estimates sum to `u(N) − u(∅)` exactly in exact
///   arithmetic; with it, to within `truncationTolerance`.
/// - Complexity: at most `2 + permutations × playerCount` calls of `utility`, far fewer with truncation.
public func monteCarloShapley(
    playerCount: Int,
    permutations: Int,
    truncationTolerance: Double,
    seed: UInt64,
    utility: ([Bool]) throws -> Double
) rethrows -> [Double] {
    let n = max(playerCount, 0)
    guard n > 0 else { return [] }
    var cache = CoalitionCache(playerCount: n)
    let empty = try cache.value(of: Coalition(playerCount: n), utility: utility)
    var everyone = Coalition(playerCount: n)
    for player in 0..<n { everyone.insert(player) }
    let full = try cache.value(of: everyone, utility: utility)

    var generator = Xoshiro256(seed: seed)
    let rounds = max(permutations, 1)
    var sums = [Double](repeating: 0, count: n)
    for _ in 0..<rounds {
        let order = randomPermutation(n, using: &generator)
        var prefix = Coalition(playerCount: n)
        var previous = empty
        for player in order {
            if abs(full - previous) < truncationTolerance { break }
            prefix.insert(player)
            let current = try cache.value(of: prefix, utility: utility)
            sums[player] = sums[player] + (current - previous)
            previous = current
        }
    }
    return sums.map { $0 / Double(rounds) }
}

// MARK: - Helpers

/// A set of players as a bitset (hashable, so it can key the cache).
struct Coalition: Hashable {
    private(set) var words: [UInt64]

    init(playerCount: Int) { self.words = [UInt64](repeating: 0, count: (playerCount + 63) / 64) }

    mutating func insert(_ player: Int) { self.words[player / 64] |= 1 << UInt64(player % 64) }

    func contains(_ player: Int) -> Bool { self.words[player / 64] & (1 << UInt64(player % 64)) != 0 }
}

/// Coalition utilities already computed (a lookup table only: never iterated, so its order does not matter).
struct CoalitionCache {
    let playerCount: Int
    private var values: [Coalition: Double] = [:]

    init(playerCount: Int) { self.playerCount = playerCount }

    /// The utility of `coalition`, computed on first use.
    mutating func value(of coalition: Coalition, utility: ([Bool]) throws -> Double) rethrows -> Double {
        if let known = self.values[coalition] { return known }
        let members = (0..<self.playerCount).map { coalition.contains($0) }
        let value = try utility(members)
        self.values[coalition] = value
        return value
    }
}

/// A uniform permutation of `0..<count` (Fisher–Yates; Lemire's multiply-shift with rejection for each index).
func randomPermutation(_ count: Int, using generator: inout some RandomNumberGenerator) -> [Int] {
    var values = Array(0..<count)
    guard count > 1 else { return values }
    for index in stride(from: count - 1, to: 0, by: -1) {
        values.swapAt(index, boundedRandom(below: index + 1, using: &generator))
    }
    return values
}

/// An integer uniform in `0..<upperBound` (upperBound ≥ 1), the same on every platform.
func boundedRandom(below upperBound: Int, using generator: inout some RandomNumberGenerator) -> Int {
    let bound = UInt64(upperBound)
    while true {
        let product = generator.next().multipliedFullWidth(by: bound)
        if product.low >= (0 &- bound) % bound { return Int(product.high) }
    }
}
