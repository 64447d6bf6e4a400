// CentralizedBaseline: what ordinary training on the owners' pooled data reaches, round by round.

public import Learning

/// Trains a model on the union of every owner's shard, as if one party held all the data, and records the test
/// accuracy after each round: the yardstick for federated training.
///
/// A round is the same number of epochs a data owner trains locally per round (`training.epochs`), so round `r`
/// of the baseline has seen as many passes over the data as each owner after round `r`. One optimizer and one
/// shuffling stream run through all rounds, as in plain centralized training.
///
/// ```swift
/// let data = try DevnetDataset.digits.load()
/// let partition = try DataPartition.make(data: data, owners: 4, evaluators: 2, nonIID: false, seed: 1)
/// let accuracies = try centralizedBaseline(data: data, partition: partition, rounds: 10)
/// ```
/// - Parameters:
///   - data: the loaded data set; its test split measures the model.
///   - partition: the partition whose owners' pooled data is trained on.
///   - rounds: the number of rounds, at least 1.
///   - spec: the model (default: the data's ``DevnetData/defaultModelSpec``).
///   - training: the training per round (default: the data's ``DevnetData/localTraining``).
///   - modelSeed: the seed of the initial parameters; use the federated run's, for a like-for-like comparison.
///   - progress: called after each round with the round (from 1) and its test accuracy.
/// - Returns: the test accuracy, in [0, 1], after each round.
/// - Throws: ``DevnetDataError/invalidArgument(name:value:reason:)`` for fewer than one round or epoch;
///   ``Learning/LearningError`` when the model does not fit the data.
/// - Complexity: `rounds × training.epochs` epochs over the pooled data, plus one test evaluation per round.
public func centralizedBaseline(
    data: DevnetData, partition: DataPartition, rounds: Int, spec: ModelSpec? = nil,
    training: TrainingConfiguration? = nil, modelSeed: UInt64 = 0, progress: (Int, Double) -> Void = { _, _ in }
) throws -> [Double] {
    guard rounds >= 1 else {
        throw DevnetDataError.invalidArgument(name: "rounds", value: "\(rounds)", reason: "need at least one round")
    }
    let training = training ?? data.localTraining
    guard training.epochs >= 1 else {
        throw DevnetDataError.invalidArgument(name: "training.epochs", value: "\(training.epochs)",
                                              reason: "need at least one epoch per round")
    }
    let model = try Model(spec: spec ?? data.defaultModelSpec, seed: modelSeed)
    var trainer = Trainer(model: model, configuration: training)
    var accuracies: [Double] = []
    for round in 1...rounds {
        for _ in 0..<training.epochs { _ = try trainer.runEpoch(on: partition.pooledOwners) }
        let accuracy = try trainer.model.evaluate(on: data.test).accuracy
        accuracies.append(accuracy)
        progress(round, accuracy)
    }
    return accuracies
}

/// The test accuracy of a model given as one flat parameter vector (``Learning/Model/flatParameters``), such as
/// a federated round's aggregate.
/// - Parameters:
///   - flat: every parameter, in the model's ``Learning/Model/parameterNames`` order.
///   - spec: the model's specification.
///   - data: the loaded data set; its test split is measured.
/// - Returns: the accuracy on the test split, in [0, 1].
/// - Throws: ``DevnetDataError/parameterCountMismatch(expected:actual:)`` when `flat` does not fit `spec`;
///   ``Learning/LearningError`` when the model does not fit the data.
/// - Complexity: one forward pass per test sample.
public func testAccuracy(of flat: [Float], spec: ModelSpec, data: DevnetData) throws -> Double {
    var model = try Model(spec: spec, seed: 0)
    guard flat.count == model.parameterCount else {
        throw DevnetDataError.parameterCountMismatch(expected: model.parameterCount, actual: flat.count)
    }
    try model.setFlatParameters(flat)
    return try model.evaluate(on: data.test).accuracy
}
