// UpdateEvaluator: scores a round's updates on one evaluator's held-out data.

public import Learning

/// Scores the updates of one round on this evaluator's own held-out data: anomaly checks, the Shapley value of
/// each clean update (what it is worth) and each update's measured harm with its standard error (evidence).
///
/// ```swift
/// let evaluator = try UpdateEvaluator(spec: task.spec, global: weights, validation: heldOut)
/// let scores = try evaluator.score(updates: deltas, rule: task.rule)
/// for score in scores { post(score.score, score.harm, score.harmStandardError) }
/// ```
///
/// **Every update weighs the same.** A sample count is whatever a trainer claims, so none is taken: not in the
/// Shapley utility, not in the aggregate the harm is measured against.
///
/// **Utility.** A coalition `S` of updates is worth `u(S) = L(global) − L(global + step(S))`, how much its step
/// lowers the mean validation loss (cross-entropy for classifiers), in nats; `u(∅) = 0`. With the default
/// ``EvaluationSettings/CoalitionValue/roundShare``, `step(S) = Σ_{i∈S} δᵢ / c` over the `c` clean updates (the
/// coalition's share of the round's mean step); with ``EvaluationSettings/CoalitionValue/coalitionAverage``,
/// `step(S)` is the mean of `S` alone. Each `δᵢ` is clipped to the median norm of the clean updates, as
/// ``roundAggregate(_:rule:)`` clips it, so an update above the median norm is worth no more than the aggregate lets
/// it move the model. The loss is continuous, so even small differences between updates rank them. Losses that are
/// not finite, or above ``lossCap``, count as ``lossCap``.
///
/// **Harm.** The per-example loss of the round's aggregate (``roundAggregate(_:rule:)``, the task's rule) with and
/// without the update, paired on the same examples: see ``score(updates:rule:confidence:earlier:)``.
///
/// **Determinism:** scores depend only on the inputs and ``EvaluationSettings/seed`` on one machine; across CPU
/// variants the losses (and so the scores and harms) may differ in the last bits. The chain combines evaluators'
/// figures by stake-weighted median, so they need not agree bit for bit.
public struct UpdateEvaluator: Sendable {
    /// The validation loss above which a model counts as broken; also what a non-finite loss counts as.
    public static let lossCap = 1_000.0

    /// The task's model.
    public let spec: ModelSpec
    /// The round's global parameters.
    public let global: [Float]
    /// The model the global one was made from, for server momentum; `nil` for the task's initial model.
    public let parent: [Float]?
    /// The evaluator's held-out data.
    public let validation: Dataset
    /// Estimator and anomaly settings.
    public let settings: EvaluationSettings
    /// `L(global)`, the validation loss of the global model.
    public let baselineLoss: Double
    /// A model of `spec`, reused for every utility evaluation.
    let model: Model

    /// An evaluator of one round.
    ///
    /// - Parameters:
    ///   - spec: the task's model.
    ///   - global: the round's global parameters (flat, in the model's parameter order).
    ///   - parent: the model the global one was made from (its lineage's parent), for the server optimizer's
    ///     momentum; `nil` for the task's initial model.
    ///   - validation: held-out data of this evaluator (at least one sample).
    ///   - settings: estimator and thresholds.
    /// - Throws: ``FederationError/invalidParameter(name:reason:)`` for invalid settings or empty validation data;
    ///   a `LearningError` when `global` or `validation` does not fit `spec`.
    /// - Complexity: one forward pass over `validation`.
    public init(spec: ModelSpec, global: [Float], parent: [Float]? = nil, validation: Dataset,
                settings: EvaluationSettings = EvaluationSettings()) throws {
        try settings.validate()
        guard validation.count > 0 else {
            throw FederationError.invalidParameter(name: "validation", reason: "no samples")
        }
        if let parent, parent.count != global.count {
            throw FederationError.vectorCountMismatch(expected: global.count, actual: parent.count)
        }
        var model = try Model(spec: spec, seed: 0)
        try model.setFlatParameters(global)
        self.spec = spec
        self.global = global
        self.parent = parent
        self.validation = validation
        self.settings = settings
        self.model = model
        self.baselineLoss = try Self.loss(of: model, on: validation)
    }

    /// Scores every update of a round.
    ///
    /// 1. **Anomalies** (``UpdateAnomaly``): wrong length and non-finite values; then, relative to the median norm
    ///    of the finite updates, near-zero and too-large norms; bit-identical copies of an earlier update; and a
    ///    cosine below ``EvaluationSettings/opposedCosine`` with the coordinate-wise median of the updates that are
    ///    neither near-zero nor copies (checked when there are at least 3 of them). An update with any anomaly is
    ///    excluded: it stays out of the game and scores 0.
    /// 2. **Value**: the Shapley value of each clean update (no anomaly) under the utility above, every update
    ///    weighing the same and clipped to the clean updates' median norm: exact when there are at most
    ///    ``EvaluationSettings/exactShapleyLimit``, Monte Carlo with GTG truncation otherwise.
    ///    ``UpdateScore/score`` is that value in micro-units.
    /// 3. **Harm**, for every update, with `C` the clean updates and `A(S)` = ``roundAggregate(_:rule:)`` of the
    ///    updates at `S` in index order (`A(∅)` = no step): for `i ∈ C`, `A(C)` against `A(C ∖ {i})`; for an
    ///    excluded update that can be evaluated, `A(C ∪ {i})` against `A(C)`. Per validation example `k`,
    ///    `dₖ = lossₖ(global + with) − lossₖ(global + without)`, each loss capped at ``lossCap``; the harm is the
    ///    mean of `dₖ` and its standard error their sample standard deviation over `√n`, both accumulated in
    ///    `Double` in example order. The same is measured with a zero update in place of update `i` instead of
    ///    leaving it out, and ``UpdateScore/harm`` and ``UpdateScore/harmStandardError`` are the measurement with
    ///    the lower evidence `harm − confidence × error`: harmful means worse than both ways of doing without it. An update that cannot be evaluated
    ///    (``UpdateAnomaly/wrongDimension``, ``UpdateAnomaly/nonFinite``) has harm
    ///    ``EvaluationSettings/invalidPenalty`` and standard error 0.
    ///
    /// - Parameters:
    ///   - updates: the round's deltas, in the order the chain lists them (copies are judged against earlier ones).
    ///   - rule: the task's aggregation rule.
    ///   - confidence: the task's harm confidence, in standard errors (it chooses between the two measurements).
    ///   - earlier: the updates revealed in the previous round: an update too close to their mean is
    ///     ``UpdateAnomaly/stale``. Not to each of them: an honest owner's update resembles its own of last round.
    /// - Returns: one score per update, in order.
    /// - Throws: a `FederationError` or `LearningError` only for internal failures. Malformed updates are scored,
    ///   never thrown.
    /// - Complexity: 2^c validation passes for c ≤ `exactShapleyLimit` clean updates, otherwise at most
    ///   `permutations × c`; plus two ``roundAggregate(_:rule:)`` and validation passes per update, shared out
    ///   among `Parallelism.threadCount` threads.
    public func score(
        updates: [[Float]], rule: AggregationRule, confidence: Double = 3, earlier: [[Float]] = []
    ) throws -> [UpdateScore] {
        let anomalies = self.anomalies(of: updates, earlier: earlier.isEmpty ? [] : [Self.mean(of: earlier)])
        let clean = updates.indices.filter { anomalies[$0].isEmpty }
        let shapley = try self.shapleyValues(of: updates, players: clean)
        let harms = try self.harms(
            of: updates, anomalies: anomalies, candidates: clean, rule: rule, confidence: confidence)
        var values = [Double](repeating: 0, count: updates.count)
        for (player, index) in clean.enumerated() { values[index] = shapley[player] }
        return updates.indices.map { index in
            UpdateScore(shapley: values[index], anomalies: anomalies[index], harm: harms[index].harm,
                        harmStandardError: harms[index].standardError)
        }
    }

    /// The Shapley values of the updates at `players` in the game of those updates alone, each clipped to their
    /// median norm as ``roundAggregate(_:rule:)`` clips them: an update is worth what the aggregate lets it do.
    private func shapleyValues(of updates: [[Float]], players: [Int]) throws -> [Double] {
        guard !players.isEmpty else { return [] }
        let clipped = QuantizedUpdates(try clippedToMedianNorm(players.map { updates[$0] }), dimension: self.global.count)
        let divisor = self.settings.coalitionValue == .roundShare ? players.count : nil
        if players.count <= self.settings.exactShapleyLimit {
            var game = CoalitionEvaluation(evaluator: self, updates: clipped, divisor: divisor)
            return try exactShapley(playerCount: players.count) { members in
                try game.utility(of: members.indices.filter { members[$0] })
            }
        }
        return try monteCarloShapley(
            playerCount: players.count, permutations: self.settings.monteCarloPermutations,
            truncationTolerance: self.settings.truncationTolerance, seed: self.settings.seed,
            workers: Parallelism.threadCount
        ) { [self] in
            var game = CoalitionEvaluation(evaluator: self, updates: clipped, divisor: divisor)
            return { members in try game.utility(of: members.indices.filter { members[$0] }) }
        }
    }

    /// The coordinate-wise mean of `vectors` of the first one's length, accumulated in `Double` in order.
    static func mean(of vectors: [[Float]]) -> [Float] {
        guard let first = vectors.first else { return [] }
        var sums = [Double](repeating: 0, count: first.count)
        var count = 0.0
        for vector in vectors where vector.count == first.count {
            for index in sums.indices { sums[index] += Double(vector[index]) }
            count += 1
        }
        return sums.map { Float($0 / count) }
    }

    /// `L(global) − L(global + delta)`: how much applying `delta` lowers the mean validation loss, in nats (the
    /// utility of the Shapley game; ``measuredImprovement(applying:)`` adds the measurement's standard error).
    /// - Throws: ``FederationError/vectorCountMismatch(expected:actual:)`` when `delta` does not have the model's
    ///   parameter count.
    /// - Complexity: one forward pass over the validation data.
    public func improvement(applying delta: [Float]) throws -> Double {
        var model = self.model
        try model.setFlatParameters(try self.nextModel(applying: delta))
        return self.baselineLoss - (try Self.loss(of: model, on: self.validation))
    }

    /// How much the round's `aggregate` lowers the validation loss, with the noise of that measurement — what an
    /// evaluator attests with the next model. Per validation example `k`, `dₖ = lossₖ(global) − lossₖ(next)`, the
    /// next model being the server optimizer's step with `aggregate`, each loss capped at ``lossCap``; the
    /// improvement is the mean of `dₖ` and its standard error their sample standard deviation over `√n`, in nats,
    /// both accumulated in `Double` in example order. The chain calls a round a regression only when the
    /// improvement stays below zero (less the task's tolerance) by more than the task's confidence times the error.
    /// - Throws: ``FederationError/vectorCountMismatch(expected:actual:)`` when `aggregate` does not have the model's
    ///   parameter count.
    /// - Complexity: two forward passes over the validation data.
    public func measuredImprovement(applying aggregate: [Float]) throws -> (improvement: Double, standardError: Double) {
        var next = self.model
        try next.setFlatParameters(try self.nextModel(applying: aggregate))
        let worsening = pairedDifference(try Self.exampleLosses(of: next, on: self.validation),
                                         try Self.exampleLosses(of: self.model, on: self.validation))
        return (-worsening.harm, worsening.standardError)
    }

    /// The next global model when the round's aggregate is `aggregate`: the task's server optimizer
    /// (``EvaluationSettings/server``) applied to the global model and its parent.
    /// - Throws: ``FederationError/vectorCountMismatch(expected:actual:)`` for a vector of the wrong length.
    /// - Complexity: O(d).
    public func nextModel(applying aggregate: [Float]) throws(FederationError) -> [Float] {
        try self.settings.server.nextModel(global: self.global, aggregate: aggregate, parent: self.parent)
    }

    /// The mean validation loss of `model`, capped at ``lossCap``.
    static func loss(of model: Model, on data: Dataset) throws -> Double {
        let loss = try model.evaluate(on: data, batchSize: data.count).loss
        return loss.isFinite ? min(loss, Self.lossCap) : Self.lossCap
    }
}
