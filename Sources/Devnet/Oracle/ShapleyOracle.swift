// ShapleyOracle: the devnet's own measure of what each owner's update is worth, independent of the evaluators.

public import Learning

/// The value of each update in a round, measured by the devnet on data that no evaluator holds and with code that
/// shares nothing with the evaluators' scoring (`UpdateEvaluator` and its Shapley estimators): the yardstick the
/// chain's rewards are checked against.
///
/// The game is each coalition's part of the round's federated-averaging step. With `n` updates, a coalition `S` is
/// worth the drop of the mean held-out loss when its share of the plain FedAvg step is added to the round's base
/// model: `v(S) = loss(base) − loss(base + Σ_{i∈S} δᵢ / n)`, with `v(∅) = 0` and `v(N)` the whole step's gain. That
/// is the value the network promises to pay for — what each update adds to the step the round takes — while no
/// clipping, robust rule or server optimizer enters, so the oracle measures the data rather than the chain's
/// machinery.
///
/// Up to ``exactLimit`` players, every coalition is evaluated and the Shapley formula is summed exactly. Beyond
/// that, ``permutations`` random orders are walked in full (no truncation) and each player's marginal gains are
/// averaged. The orders come from a fixed seed, so a report is reproducible.
public struct ShapleyOracle: Sendable {
    /// The model the updates belong to.
    public let spec: ModelSpec
    /// Data no participant holds (the devnet's test split).
    public let heldOut: Dataset
    /// Players up to which Shapley values are exact (2^n held-out passes).
    public var exactLimit = 10
    /// Orders sampled beyond ``exactLimit`` (n passes each).
    public var permutations = 24
    /// The seed of the sampled orders.
    public var seed: UInt64 = 0x5348_4150_4C45_59

    /// An oracle for models of `spec`, measuring on `heldOut`.
    public init(spec: ModelSpec, heldOut: Dataset) {
        self.spec = spec
        self.heldOut = heldOut
    }

    /// Each update's Shapley value in the game above, in nats of held-out loss, in `updates` order.
    /// - Throws: ``LearningError`` when an update does not fit the model.
    /// - Complexity: 2^n held-out passes for n ≤ ``exactLimit`` updates, otherwise `permutations × n`.
    public func values(base: [Float], updates: [[Float]]) throws -> [Double] {
        guard !updates.isEmpty else { return [] }
        var game = try CoalitionGame(spec: self.spec, heldOut: self.heldOut, base: base, updates: updates)
        return updates.count <= self.exactLimit ? try game.exactValues() : try game.sampledValues(
            permutations: self.permutations, seed: self.seed)
    }
}

/// The oracle's game for one round: held-out losses of the base model plus the mean of a coalition's updates.
private struct CoalitionGame {
    let heldOut: Dataset
    let base: [Float]
    let updates: [[Float]]
    var model: Model
    let baseLoss: Double

    init(spec: ModelSpec, heldOut: Dataset, base: [Float], updates: [[Float]]) throws {
        self.heldOut = heldOut
        self.base = base
        self.updates = updates
        self.model = try Model(spec: spec, seed: 0)
        try self.model.setFlatParameters(base)
        self.baseLoss = try self.model.evaluate(on: heldOut).loss
    }

    /// The worth of the coalition whose updates sum to `sum` (`size` members, of the round's `updates.count`).
    mutating func worth(sum: [Float], size: Int) throws -> Double {
        guard size > 0 else { return 0 }
        let scale = 1 / Float(self.updates.count)
        var parameters = self.base
        for index in parameters.indices { parameters[index] += sum[index] * scale }
        try self.model.setFlatParameters(parameters)
        return self.baseLoss - (try self.model.evaluate(on: self.heldOut).loss)
    }

    /// Exact Shapley values: `φᵢ = Σ_{S ∌ i} |S|! (n−|S|−1)! / n! · (v(S ∪ {i}) − v(S))` over every coalition.
    mutating func exactValues() throws -> [Double] {
        let n = self.updates.count
        var worths = [Double](repeating: 0, count: 1 << n)
        for mask in 1..<(1 << n) {
            var sum = [Float](repeating: 0, count: self.base.count)
            for player in 0..<n where mask & (1 << player) != 0 {
                for index in sum.indices { sum[index] += self.updates[player][index] }
            }
            worths[mask] = try self.worth(sum: sum, size: mask.nonzeroBitCount)
        }
        // weights[s] = s! (n − s − 1)! / n!, built as a product to stay exact in Double for small n.
        var weights = [Double](repeating: 0, count: n)
        for size in 0..<n {
            var weight = 1.0 / Double(n)
            for k in 0..<size { weight *= Double(size - k) / Double(n - 1 - k) }
            weights[size] = weight
        }
        var values = [Double](repeating: 0, count: n)
        for mask in 0..<(1 << n) {
            let size = mask.nonzeroBitCount
            for player in 0..<n where mask & (1 << player) == 0 {
                values[player] += weights[size] * (worths[mask | (1 << player)] - worths[mask])
            }
        }
        return values
    }

    /// Shapley values estimated from `permutations` random orders, each walked in full.
    mutating func sampledValues(permutations: Int, seed: UInt64) throws -> [Double] {
        let n = self.updates.count
        var generator = Xoshiro256(seed: seed)
        var totals = [Double](repeating: 0, count: n)
        for _ in 0..<max(permutations, 1) {
            var sum = [Float](repeating: 0, count: self.base.count)
            var previous = 0.0
            for (position, player) in generator.shuffled(Array(0..<n)).enumerated() {
                for index in sum.indices { sum[index] += self.updates[player][index] }
                let current = try self.worth(sum: sum, size: position + 1)
                totals[player] += current - previous
                previous = current
            }
        }
        return totals.map { $0 / Double(max(permutations, 1)) }
    }
}
