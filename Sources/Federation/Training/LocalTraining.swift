// LocalTraining: trainLocalUpdate, one data owner's round, and applyUpdate.

public import Learning

/// Trains the global model on one data owner's data and returns the difference.
///
/// ```swift
/// let update = try trainLocalUpdate(spec: task.spec, global: weights, data: myData,
///                                   configuration: LocalTrainingConfiguration(seed: seed))
/// let blob = encodeVector(update.delta, as: .float32)
/// ```
///
/// **Determinism:** the same inputs give the same bits on one machine (Learning's trainer is deterministic for any
/// thread count); across CPU variants the last bits may differ, which is fine: updates are a node's own work.
///
/// - Parameters:
///   - spec: the task's model.
///   - global: the round's global parameters, in the model's flat parameter order.
///   - data: the local training data (at least one sample).
///   - configuration: epochs or steps, batch size, optimizer and seed.
/// - Returns: the delta (trained − global), the sample count and the last epoch's mean training loss.
/// - Throws: ``FederationError/invalidParameter(name:reason:)`` for an empty data set or a non-positive epoch or
///   step count or batch size; a `LearningError` when `global` or `data` does not fit `spec`.
/// - Complexity: `epochs` forward and backward passes over `data`, or `steps` mini-batches.
public func trainLocalUpdate(
    spec: ModelSpec,
    global: [Float],
    data: Dataset,
    configuration: LocalTrainingConfiguration
) throws -> LocalUpdate {
    guard data.count > 0 else { throw FederationError.invalidParameter(name: "data", reason: "no samples") }
    guard configuration.epochs >= 1 else {
        throw FederationError.invalidParameter(name: "epochs", reason: "\(configuration.epochs) must be at least 1")
    }
    guard configuration.batchSize >= 1 else {
        throw FederationError.invalidParameter(name: "batchSize", reason: "\(configuration.batchSize) must be at least 1")
    }
    if let steps = configuration.steps, steps < 1 {
        throw FederationError.invalidParameter(name: "steps", reason: "\(steps) must be at least 1")
    }
    var model = try Model(spec: spec, seed: 0)
    try model.setFlatParameters(global)
    let training = TrainingConfiguration(
        epochs: configuration.epochs, batchSize: configuration.batchSize, optimizer: configuration.optimizer,
        seed: configuration.seed, privacy: configuration.privacy)
    var trainer = Trainer(model: model, configuration: training)
    var last: EpochReport?
    if let steps = configuration.steps {
        let batchesPerPass = configuration.privacy.map { Int((1 / $0.samplingRate).rounded(.up)) }
            ?? (data.count + configuration.batchSize - 1) / configuration.batchSize
        var remaining = steps
        while remaining > 0 {
            last = try trainer.runEpoch(on: data, batchLimit: remaining)
            remaining -= min(remaining, batchesPerPass)
        }
    } else {
        for _ in 0..<configuration.epochs { last = try trainer.runEpoch(on: data) }
    }
    let trained = trainer.model.flatParameters
    var delta = [Float](repeating: 0, count: trained.count)
    for index in trained.indices { delta[index] = trained[index] - global[index] }
    return LocalUpdate(delta: delta, sampleCount: UInt64(data.count), trainingLoss: last?.loss ?? 0)
}

/// `global + delta`, element by element (one IEEE-754 addition each, no FMA: the same bits everywhere).
///
/// - Throws: ``FederationError/vectorCountMismatch(expected:actual:)`` when the lengths differ.
/// - Complexity: O(n).
public func applyUpdate(_ delta: [Float], to global: [Float]) throws(FederationError) -> [Float] {
    guard delta.count == global.count else { throw .vectorCountMismatch(expected: global.count, actual: delta.count) }
    var result = global
    for index in result.indices { result[index] = global[index] + delta[index] }
    return result
}
