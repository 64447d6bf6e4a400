// CoalitionEvaluation: the utility of a set of updates, with a cache, for one round's scoring.

internal import Learning

/// Evaluates `u(S) = L(global) − L(global + FedAvg_S)` for sets of update indices, caching results so the
/// Shapley estimators and the harmful-update marginals never pay twice for one set.
struct CoalitionEvaluation {
    let evaluator: UpdateEvaluator
    let updates: [[Float]]
    let weights: [UInt64]
    /// The weight that divides every coalition's weighted sum, or `nil` for each coalition's own total (FedAvg).
    let normalizer: Double?
    private var model: Model
    private var cache: [[Int]: Double] = [:]

    init(evaluator: UpdateEvaluator, updates: [[Float]], weights: [UInt64], normalizer: Double? = nil) {
        self.evaluator = evaluator
        self.updates = updates
        self.weights = weights
        self.normalizer = normalizer
        self.model = evaluator.model
    }

    /// The utility of the updates at `members` (any order; evaluated in increasing index order).
    ///
    /// The weighted sum is accumulated in `Double` in index order; a set whose weights sum to 0 (or the empty set) is
    /// worth 0.
    mutating func utility(of members: [Int]) throws -> Double {
        let sorted = members.sorted()
        if let known = self.cache[sorted] { return known }
        let value = try self.compute(sorted)
        self.cache[sorted] = value
        return value
    }

    private mutating func compute(_ members: [Int]) throws -> Double {
        var total = 0.0
        for member in members { total += Double(self.weights[member]) }
        guard total > 0 else { return 0 }
        if let normalizer = self.normalizer { total = normalizer }
        let global = self.evaluator.global
        var sums = [Double](repeating: 0, count: global.count)
        for member in members where self.weights[member] > 0 {
            let weight = Double(self.weights[member]) / total
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
