// CoalitionEvaluation: the utility of a set of updates, with a cache, for one round's scoring.

internal import Learning

/// Evaluates `u(S) = L(global) − L(global + step(S))` for sets of update indices, every update weighing the same,
/// caching results so the Shapley estimators never pay twice for one set.
///
/// Coalition sums are kept in fixed point (``QuantizedUpdates``), where addition is exact and so independent of
/// order. That lets a coalition's sum be updated from the previous coalition's by adding and removing the players
/// that differ — one vector pass for each step of a Monte Carlo permutation instead of one per member — while
/// every path to a coalition gives the same bits, whichever thread or permutation reached it first.
struct CoalitionEvaluation {
    let evaluator: UpdateEvaluator
    let updates: QuantizedUpdates
    /// The count that divides every coalition's sum (the round's clean updates), or `nil` for each coalition's own
    /// size (its mean).
    let divisor: Int?
    private var model: Model
    private var cache: [[Int]: Double] = [:]
    /// The last coalition evaluated, as a flag per update, and its fixed-point sum.
    private var current: (members: [Bool], sums: [Int64])

    init(evaluator: UpdateEvaluator, updates: QuantizedUpdates, divisor: Int?) {
        self.evaluator = evaluator
        self.updates = updates
        self.divisor = divisor
        self.model = evaluator.model
        self.current = ([Bool](repeating: false, count: updates.count), [Int64](repeating: 0, count: updates.dimension))
    }

    /// The utility of the updates at `members` (any order); the empty set is worth 0.
    mutating func utility(of members: [Int]) throws -> Double {
        let sorted = members.sorted()
        if let known = self.cache[sorted] { return known }
        let value = try self.compute(sorted)
        self.cache[sorted] = value
        return value
    }

    private mutating func compute(_ members: [Int]) throws -> Double {
        guard !members.isEmpty else { return 0 }
        var wanted = [Bool](repeating: false, count: self.updates.count)
        for member in members { wanted[member] = true }
        let changed = wanted.indices.filter { wanted[$0] != self.current.members[$0] }
        if changed.count > members.count {
            // Fewer passes to start from zero than to move from the last coalition.
            self.current = ([Bool](repeating: false, count: self.updates.count),
                            [Int64](repeating: 0, count: self.updates.dimension))
            for member in members { self.updates.add(member, to: &self.current.sums, sign: 1) }
        } else {
            for index in changed { self.updates.add(index, to: &self.current.sums, sign: wanted[index] ? 1 : -1) }
        }
        self.current.members = wanted
        let scale = self.updates.resolution / Double(self.divisor ?? members.count)
        let global = self.evaluator.global
        var parameters = global
        for j in parameters.indices { parameters[j] = global[j] + Float(Double(self.current.sums[j]) * scale) }
        try self.model.setFlatParameters(parameters)
        let loss = try UpdateEvaluator.loss(of: self.model, on: self.evaluator.validation)
        return self.evaluator.baselineLoss - loss
    }
}

/// A round's updates in fixed point, `round(x · 2^s)` as `Int64`, with `s` chosen so that the sum of every update
/// cannot overflow: sums of them are exact, whatever the order of addition.
///
/// `s` is the largest shift up to 40 with `n · max|x| · 2^s < 2^62` (negative for enormous updates, which a majority
/// of attackers could make the clipping norm). At 40 the resolution is about 1e-12, far below a `Float` update's own
/// precision at the magnitudes that move a model.
struct QuantizedUpdates: Sendable {
    /// The updates' length.
    let dimension: Int
    /// The number of updates.
    let count: Int
    /// The value of one fixed-point unit, `2^-s`.
    let resolution: Double
    /// The updates' fixed-point values, one after another.
    private let values: [Int64]

    /// `updates` (finite, all of `dimension` values) in fixed point.
    init(_ updates: [[Float]], dimension: Int) {
        let largest = updates.reduce(Float(0)) { partial, update in update.reduce(partial) { max($0, abs($1)) } }
        // Finite values are below 2^128, so the loop ends by a shift of about −200 whatever the updates hold.
        var shift = 40
        let budget = Double(Int64(1) << 62) / Double(max(updates.count, 1))
        while shift > -1000, Double(largest) * Double(sign: .plus, exponent: shift, significand: 1) >= budget {
            shift -= 1
        }
        let factor = Double(sign: .plus, exponent: shift, significand: 1)
        self.dimension = dimension
        self.resolution = Double(sign: .plus, exponent: -shift, significand: 1)
        self.values = updates.flatMap { update in update.map { Int64((Double($0) * factor).rounded()) } }
        self.count = updates.count
    }

    /// Adds (`sign` 1) or subtracts (`sign` −1) update `index` to `sums`.
    func add(_ index: Int, to sums: inout [Int64], sign: Int64) {
        let start = index * self.dimension
        self.values.withUnsafeBufferPointer { values in
            sums.withUnsafeMutableBufferPointer { sums in
                for j in 0..<sums.count { sums[j] += sign * values[start + j] }
            }
        }
    }
}
