// Trainer: mini-batch training of a model, epoch by epoch.

import Dispatch

/// How a model is trained.
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    /// Passes over the training set.
    public var epochs: Int
    /// Samples per mini-batch.
    public var batchSize: Int
    /// The optimizer.
    public var optimizer: OptimizerSpec
    /// The learning-rate schedule over epochs.
    public var schedule: LearningRateSchedule
    /// The seed of shuffling and dropout.
    public var seed: UInt64

    /// A training configuration; defaults follow `torch_train.py` (batch 64, SGD lr 0.1 momentum 0.9).
    public init(epochs: Int = 10, batchSize: Int = 64, optimizer: OptimizerSpec = OptimizerSpec(),
                schedule: LearningRateSchedule = .constant, seed: UInt64 = 0) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.schedule = schedule
        self.seed = seed
    }
}

/// What one epoch of training did.
public struct EpochReport: Codable, Sendable, Equatable {
    /// The epoch, from 1.
    public var epoch: Int
    /// The mean training loss over the epoch's batches (weighted by batch size).
    public var loss: Double
    /// The training accuracy over the epoch (classification; 0 otherwise).
    public var accuracy: Double
    /// Wall-clock seconds of the epoch.
    public var seconds: Double
    /// Samples processed per second.
    public var samplesPerSecond: Double
}

/// Trains a model with mini-batches, keeping the optimizer's state and the generator between epochs.
///
/// Determinism: shuffling and dropout come from `Xoshiro256(seed:)`, and every kernel gives the same bits for any
/// thread count, so the same seed gives bit-identical weights with 1 or many threads (on one CPU variant).
public struct Trainer: Sendable {
    /// The model being trained.
    public var model: Model
    /// The training configuration.
    public let configuration: TrainingConfiguration
    /// Epochs completed.
    public private(set) var epoch = 0
    private var optimizer: any Optimizer
    private var generator: Xoshiro256

    /// A trainer for `model`.
    public init(model: Model, configuration: TrainingConfiguration) {
        self.model = model
        self.configuration = configuration
        self.optimizer = configuration.optimizer.makeOptimizer()
        self.generator = Xoshiro256(seed: configuration.seed)
    }

    /// Runs one epoch over `data`.
    /// - Throws: shape errors when the data does not fit the model.
    /// - Complexity: one forward and one backward pass per sample.
    public mutating func runEpoch(on data: Dataset) throws -> EpochReport {
        let start = DispatchTime.now().uptimeNanoseconds
        self.optimizer.learningRate = self.configuration.schedule.rate(base: self.configuration.optimizer.learningRate,
                                                                       epoch: self.epoch)
        let tape = Tape()
        var totalLoss = 0.0
        var correct = 0
        for batch in data.batches(size: self.configuration.batchSize, using: &self.generator) {
            let input = try data.features.gatherRows(batch)
            var context = ForwardContext(training: true, seed: self.generator.next())
            let (output, parameters) = try self.model.forward(input, on: tape, context: &context)
            let loss = try self.loss(output, data: data, batch: batch)
            totalLoss += Double(loss.value.scalar ?? 0) * Double(batch.count)
            if data.isClassification { correct += try self.correctCount(output.value, data: data, batch: batch) }
            let gradients = try tape.gradients(of: loss)
            let gradientList = parameters.map { gradients[$0] ?? Tensor(zeros: $0.shape) }
            tape.reset()
            try self.optimizer.update(&self.model.parameters, gradients: gradientList)
        }
        self.epoch += 1
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let count = Double(max(data.count, 1))
        return EpochReport(epoch: self.epoch, loss: totalLoss / count, accuracy: Double(correct) / count,
                           seconds: seconds, samplesPerSecond: Double(data.count) / max(seconds, 1e-9))
    }

    /// The loss of the spec's kind for a batch.
    private func loss(_ output: Variable, data: Dataset, batch: ArraySlice<Int>) throws -> Variable {
        switch self.model.spec.loss {
        case .crossEntropy:
            return try output.crossEntropy(labels: batch.map { data.labels[$0] })
        case .binaryCrossEntropy:
            return try output.binaryCrossEntropy(targets: batch.map { data.targets[$0] })
        case .meanSquaredError:
            let targets = Tensor(uncheckedShape: [batch.count], scalars: batch.map { data.targets[$0] })
            return try output.meanSquaredError(targets)
        }
    }

    private func correctCount(_ output: Tensor, data: Dataset, batch: ArraySlice<Int>) throws -> Int {
        let predicted: [Int]
        if self.model.spec.loss == .binaryCrossEntropy {
            predicted = output.scalars.map { $0 > 0 ? 1 : 0 }
        } else {
            predicted = try output.argmaxRows()
        }
        return zip(predicted, batch).reduce(0) { $0 + ($1.0 == data.labels[$1.1] ? 1 : 0) }
    }
}

extension Model {
    /// Trains this model for `configuration.epochs` epochs on `data`.
    /// - Parameter progress: called after each epoch with its report.
    /// - Returns: one report per epoch.
    /// - Throws: shape errors when the data does not fit the model.
    @discardableResult
    public mutating func train(on data: Dataset, configuration: TrainingConfiguration,
                               progress: (EpochReport) -> Void = { _ in }) throws -> [EpochReport] {
        var trainer = Trainer(model: self, configuration: configuration)
        self.parameters = []  // let the trainer own the only reference, so updates happen in place
        var reports: [EpochReport] = []
        for _ in 0..<configuration.epochs {
            let report = try trainer.runEpoch(on: data)
            reports.append(report)
            progress(report)
        }
        self = trainer.model
        return reports
    }
}
