// UpdateEvaluator: scores a round's updates on one evaluator's held-out data.

public import Learning

/// Scores the updates of one round on this evaluator's own held-out data: anomaly checks, then Shapley values of
/// the clean updates, turned into the integer scores that go on chain.
///
/// ```swift
/// let evaluator = try UpdateEvaluator(spec: task.spec, global: weights, validation: heldOut,
///                                     localTraining: task.localTraining)
/// let scores = try evaluator.score(updates: deltas, sampleCounts: counts)
/// for score in scores { post(score.score) }  // micro-units: < 0 harmful, 0 worthless, > 0 useful
/// ```
///
/// **Utility.** A coalition `S` of updates is worth `u(S) = L(global) − L(global + step(S))`, how much its step
/// lowers the mean validation loss (cross-entropy for classifiers), in nats; `u(∅) = 0`. With the default
/// ``EvaluationSettings/CoalitionValue/roundShare``, `step(S) = Σ_{i∈S} wᵢδᵢ / Σ_{all clean} wᵢ` (the coalition's
/// share of the round's FedAvg step); with ``EvaluationSettings/CoalitionValue/coalitionAverage``, `step(S)` is
/// FedAvg over `S` alone. `wᵢ` are the sample counts. The loss is continuous, so even small differences between
/// updates rank them. Losses that are not finite, or above ``lossCap``, count as ``lossCap``.
///
/// **Scoring.** See ``score(updates:sampleCounts:)`` and ``UpdateAnomaly``.
///
/// **Determinism:** scores depend only on the inputs and ``EvaluationSettings/seed`` on one machine; across CPU
/// variants the losses (and so the scores) may differ in the last bits. The chain combines evaluators' scores by
/// stake-weighted median, so they need not agree bit for bit.
public struct UpdateEvaluator: Sendable {
    /// The validation loss above which a model counts as broken; also what a non-finite loss counts as.
    public static let lossCap = 1_000.0

    /// The task's model.
    public let spec: ModelSpec
    /// The round's global parameters.
    public let global: [Float]
    /// The evaluator's held-out data.
    public let validation: Dataset
    /// Estimator and anomaly settings.
    public let settings: EvaluationSettings
    /// The task's local training configuration, if known: norms are then compared per local optimizer step.
    public let localTraining: LocalTrainingConfiguration?
    /// `L(global)`, the validation loss of the global model.
    public let baselineLoss: Double
    /// A model of `spec`, reused for every utility evaluation.
    let model: Model

    /// An evaluator of one round.
    ///
    /// - Parameters:
    ///   - spec: the task's model.
    ///   - global: the round's global parameters (flat, in the model's parameter order).
    ///   - validation: held-out data of this evaluator (at least one sample).
    ///   - settings: estimator and thresholds.
    ///   - localTraining: the task's local training configuration, if evaluators know it. Norm checks then divide
    ///     each update's norm by its number of local optimizer steps (`epochs × ⌈sampleCount / batchSize⌉`), which
    ///     makes honest norms of clients with little and much data comparable, so a boosted update of a small
    ///     client still stands out.
    /// - Throws: ``FederationError/invalidParameter(name:reason:)`` for invalid settings or empty validation data;
    ///   a `LearningError` when `global` or `validation` does not fit `spec`.
    /// - Complexity: one forward pass over `validation`.
    public init(spec: ModelSpec, global: [Float], validation: Dataset,
                settings: EvaluationSettings = EvaluationSettings(),
                localTraining: LocalTrainingConfiguration? = nil) throws {
        try settings.validate()
        guard validation.count > 0 else {
            throw FederationError.invalidParameter(name: "validation", reason: "no samples")
        }
        var model = try Model(spec: spec, seed: 0)
        try model.setFlatParameters(global)
        self.spec = spec
        self.global = global
        self.validation = validation
        self.settings = settings
        self.localTraining = localTraining
        self.model = model
        self.baselineLoss = try Self.loss(of: model, on: validation)
    }

    /// Scores every update of a round.
    ///
    /// 1. **Anomalies** (``UpdateAnomaly``): wrong length and non-finite values; then, relative to the median norm
    ///    of the finite updates, near-zero and too-large norms; bit-identical copies of an earlier update; and a
    ///    cosine below ``EvaluationSettings/opposedCosine`` with the coordinate-wise median of the updates that are
    ///    neither near-zero nor copies (checked when there are at least 3 of them).
    /// 2. **Shapley values** of the clean updates (no anomaly) under the utility above, weighted by sample
    ///    count: exact when there are at most ``EvaluationSettings/exactShapleyLimit``, Monte Carlo with GTG
    ///    truncation otherwise. Anomalous updates stay out of the game, so they neither dilute nor inflate the
    ///    honest updates' values.
    /// 3. **Value**: a clean update's Shapley value; 0 for near-zero updates and copies (a free rider earns
    ///    nothing); for a harmful anomaly, its marginal gain added to all clean updates, capped at
    ///    `−harmfulFloor` (so boosting an honest update is harmful even when it happens to help); `−invalidPenalty`
    ///    for updates that cannot be evaluated. The score is the value in micro-units (``UpdateScore/microUnits(_:)``).
    ///
    /// - Parameters:
    ///   - updates: the round's deltas, in the order the chain lists them (copies are judged against earlier ones).
    ///   - sampleCounts: the sample count posted with each update (FedAvg weights).
    /// - Returns: one score per update, in order.
    /// - Throws: ``FederationError/weightCountMismatch(updates:weights:)`` when the counts differ; a `LearningError`
    ///   only for internal shape failures. Malformed updates are scored, never thrown.
    /// - Complexity: 2^c validation passes for c ≤ `exactShapleyLimit` clean updates, otherwise at most
    ///   `permutations × c`, plus one per harmful update.
    public func score(updates: [[Float]], sampleCounts: [UInt64]) throws -> [UpdateScore] {
        guard updates.count == sampleCounts.count else {
            throw FederationError.weightCountMismatch(updates: updates.count, weights: sampleCounts.count)
        }
        let anomalies = self.anomalies(of: updates, sampleCounts: sampleCounts)
        let clean = updates.indices.filter { anomalies[$0].isEmpty }
        var evaluation = CoalitionEvaluation(evaluator: self, updates: updates, weights: sampleCounts)
        let cleanWeight = clean.reduce(0.0) { $0 + Double(sampleCounts[$1]) }
        let normalizer = self.settings.coalitionValue == .roundShare ? cleanWeight : nil
        let shapley: [Double]
        if clean.count <= self.settings.exactShapleyLimit {
            var game = CoalitionEvaluation(evaluator: self, updates: updates, weights: sampleCounts, normalizer: normalizer)
            shapley = try exactShapley(playerCount: clean.count) { members in
                try game.utility(of: zip(clean, members).filter(\.1).map(\.0))
            }
        } else {
            shapley = try monteCarloShapley(
                playerCount: clean.count, permutations: self.settings.monteCarloPermutations,
                truncationTolerance: self.settings.truncationTolerance, seed: self.settings.seed,
                workers: Parallelism.threadCount
            ) { [self] in
                var game = CoalitionEvaluation(evaluator: self, updates: updates, weights: sampleCounts, normalizer: normalizer)
                return { members in try game.utility(of: zip(clean, members).filter(\.1).map(\.0)) }
            }
        }
        var scores: [UpdateScore] = []
        scores.reserveCapacity(updates.count)
        var cleanPosition = 0
        for index in updates.indices {
            let flags = anomalies[index]
            if flags.isEmpty {
                let value = shapley[cleanPosition]
                cleanPosition += 1
                scores.append(UpdateScore(shapley: value, anomalies: [], score: UpdateScore.microUnits(value)))
            } else if flags.contains(.wrongDimension) || flags.contains(.nonFinite) {
                scores.append(UpdateScore(shapley: 0, anomalies: flags,
                                          score: UpdateScore.microUnits(-self.settings.invalidPenalty)))
            } else if flags.contains(where: \.isHarmful) {
                let marginal = try evaluation.utility(of: clean + [index]) - evaluation.utility(of: clean)
                let value = min(marginal, -self.settings.harmfulFloor)
                scores.append(UpdateScore(shapley: marginal, anomalies: flags, score: UpdateScore.microUnits(value)))
            } else {
                scores.append(UpdateScore(shapley: 0, anomalies: flags, score: 0))
            }
        }
        return scores
    }

    /// `L(global) − L(global + delta)`: how much applying `delta` lowers the validation loss, in nats.
    /// - Throws: a `LearningError` when `delta` does not have the model's parameter count.
    /// - Complexity: one forward pass over the validation data.
    public func improvement(applying delta: [Float]) throws -> Double {
        var model = self.model
        try model.setFlatParameters(try applyUpdate(delta, to: self.global))
        return self.baselineLoss - (try Self.loss(of: model, on: self.validation))
    }

    /// The mean validation loss of `model`, capped at ``lossCap``.
    static func loss(of model: Model, on data: Dataset) throws -> Double {
        let loss = try model.evaluate(on: data, batchSize: data.count).loss
        return loss.isFinite ? min(loss, Self.lossCap) : Self.lossCap
    }
}
