// MonteCarloShapley: permutation-sampling Shapley estimates with GTG-style truncation.

internal import Dispatch
internal import Learning
internal import Synchronization

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
    let (empty, full) = try cache.emptyAndFull(utility: utility)
    let orders = shapleyOrders(playerCount: n, permutations: permutations, seed: seed)
    var sums = [Double](repeating: 0, count: n)
    for order in orders {
        let gains = try cache.marginalGains(along: order, empty: empty, full: full, tolerance: truncationTolerance,
                                            utility: utility)
        for (player, gain) in gains { sums[player] = sums[player] + gain }
    }
    return sums.map { $0 / Double(orders.count) }
}

/// ``monteCarloShapley(playerCount:permutations:truncationTolerance:seed:utility:)`` with the orders shared out
/// among up to `workers` threads, each with its own utility from `makeUtility` (a utility keeps caches and a
/// scratch model, so threads do not share one).
///
/// The orders, each order's marginal gains and their sum — player by player, in order — are those of the
/// one-thread function, so the result is the same bits for any number of workers.
///
/// - Parameters:
///   - workers: the most threads to use; the orders are cut into that many contiguous runs.
///   - makeUtility: makes one utility per thread; every utility must give the same value for a coalition.
/// - Throws: the first error (in order of the runs) a utility threw.
public func monteCarloShapley(
    playerCount: Int,
    permutations: Int,
    truncationTolerance: Double,
    seed: UInt64,
    workers: Int,
    makeUtility: @Sendable () -> (([Bool]) throws -> Double)
) throws -> [Double] {
    let n = max(playerCount, 0)
    guard n > 0 else { return [] }
    var cache = CoalitionCache(playerCount: n)
    let (empty, full) = try cache.emptyAndFull(utility: makeUtility())
    let orders = shapleyOrders(playerCount: n, permutations: permutations, seed: seed)
    let runs = max(1, min(workers, orders.count))
    let bounds = (0...runs).map { $0 * orders.count / runs }
    let results = Mutex([Result<[[(player: Int, gain: Double)]], any Error>?](repeating: nil, count: runs))
    DispatchQueue.concurrentPerform(iterations: runs) { run in
        let utility = makeUtility()
        var cache = CoalitionCache(playerCount: n)
        let result = Result { () throws -> [[(player: Int, gain: Double)]] in
            try orders[bounds[run]..<bounds[run + 1]].map { order in
                try cache.marginalGains(along: order, empty: empty, full: full, tolerance: truncationTolerance,
                                        utility: utility)
            }
        }
        results.withLock { $0[run] = result }
    }
    var sums = [Double](repeating: 0, count: n)
    for result in results.withLock({ $0 }) {
        for gains in try result?.get() ?? [] {
            for (player, gain) in gains { sums[player] = sums[player] + gain }
        }
    }
    return sums.map { $0 / Double(orders.count) }
}

/// The sampled orders: `max(permutations, 1)` uniform permutations from `Xoshiro256(seed: seed)`.
private func shapleyOrders(playerCount: Int, permutations: Int, seed: UInt64) -> [[Int]] {
    var generator = Xoshiro256(seed: seed)
    return (0..<max(permutations, 1)).map { _ in randomPermutation(playerCount, using: &generator) }
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

    /// `u(∅)` and `u(N)`, evaluated first.
    mutating func emptyAndFull(utility: ([Bool]) throws -> Double) rethrows -> (empty: Double, full: Double) {
        var everyone = Coalition(playerCount: self.playerCount)
        for player in 0..<self.playerCount { everyone.insert(player) }
        let empty = try self.value(of: Coalition(playerCount: self.playerCount), utility: utility)
        return (empty, try self.value(of: everyone, utility: utility))
    }

    /// The marginal gain of each player as the players of `order` join one by one, in that order, until the
    /// prefix is worth within `tolerance` of everyone (the rest gain 0 and are left out).
    mutating func marginalGains(
        along order: [Int], empty: Double, full: Double, tolerance: Double, utility: ([Bool]) throws -> Double
    ) rethrows -> [(player: Int, gain: Double)] {
        var gains: [(player: Int, gain: Double)] = []
        var prefix = Coalition(playerCount: self.playerCount)
        var previous = empty
        for player in order {
            if abs(full - previous) < tolerance { break }
            prefix.insert(player)
            let current = try self.value(of: prefix, utility: utility)
            gains.append((player, current - previous))
            previous = current
        }
        return gains
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
