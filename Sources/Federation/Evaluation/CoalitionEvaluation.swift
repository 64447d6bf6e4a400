// CoalitionEvaluation: the utility of a set of updates, with a cache, for one round's scoring.

internal import Learning

/// Evaluates `u(S) = L(global) − L(global + step(S))` for sets of update indices, every update weighing the same,
/// caching results so the Shapley estimators never pay twice for one set.
struct CoalitionEvaluation {
    let evaluator: UpdateEvaluator
    let updates: [[Float]]
    /// The count that divides every coalition's sum (the round's clean updates), or `nil` for each coalition's own
    /// size (its mean).
    let divisor: Int?
    private var model: Model
    private var cache: [[Int]: Double] = [:]

    init(evaluator: UpdateEvaluator, updates: [[Float]], divisor: Int?) {
        self.evaluator = evaluator
        self.updates = updates
        self.divisor = divisor
        self.model = evaluator.model
    }

    /// The utility of the updates at `members` (any order; evaluated in increasing index order).
    ///
    /// The sum is accumulated in `Double` in index order; the empty set is worth 0.
    mutating func utility(of members: [Int]) throws -> Double {
        let sorted = members.sorted()
        if let known = self.cache[sorted] { return known }
        let value = try self.compute(sorted)
        self.cache[sorted] = value
        return value
    }

    private mutating func compute(_ members: [Int]) throws -> Double {
        guard !members.isEmpty else { return 0 }
        let weight = 1 / Double(self.divisor ?? members.count)
        let global = self.evaluator.global
        var sums = [Double](repeating: 0, count: global.count)
        for member in members {
            self.updates[member].withUnsafeBufferPointer { delta in
                sums.withUnsafeMutableBufferPointer { sums in
                    for j in 0..<sums.count { sums[j] += weight * Double(delta[j]) }
                }
            }
        }
        var parameters = global
        for j in parameters.indices { parameters[j] = global[j] + Float(sums[j]) }
        try self.model.setFlatParameters(parameters)
        let loss = try UpdateEvaluator.loss(of: self.model, on: self.evaluator.validation)
        return self.evaluator.baselineLoss - loss
    }
}
