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
    /// Each mini-batch is cut into this many fixed shards whose gradients are computed independently (in parallel
    /// when threads allow) and summed in shard order. The result depends on this number, never on the thread
    /// count; small models train faster this way than by splitting each small kernel across threads.
    public var shards: Int
    /// Differentially private training (DP-SGD) instead of shuffled mini-batches of ``batchSize``, when set.
    public var privacy: DifferentialPrivacy?

    /// A training configuration; defaults follow `torch_train.py` (batch 64, SGD lr 0.1 momentum 0.9).
    public init(epochs: Int = 10, batchSize: Int = 64, optimizer: OptimizerSpec = OptimizerSpec(),
                schedule: LearningRateSchedule = .constant, seed: UInt64 = 0, shards: Int = 2,
                privacy: DifferentialPrivacy? = nil) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.schedule = schedule
        self.seed = seed
        self.shards = shards
        self.privacy = privacy
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
    public internal(set) var epoch = 0
    var optimizer: any Optimizer
    var generator: Xoshiro256

    /// A trainer for `model`.
    public init(model: Model, configuration: TrainingConfiguration) {
        self.model = model
        self.configuration = configuration
        self.optimizer = configuration.optimizer.makeOptimizer()
        self.generator = Xoshiro256(seed: configuration.seed)
    }

    /// Runs one epoch over `data`, or its first `batchLimit` mini-batches (DP-SGD steps when the configuration
    /// asks for ``TrainingConfiguration/privacy``).
    ///
    /// Each mini-batch is cut into ``TrainingConfiguration/shards`` contiguous shards; each shard runs forward and
    /// backward on its own tape (shards in parallel, kernels inside a shard on the remaining threads), with its loss
    /// weighted by its share of the batch, and the shard gradients are summed in shard order.
    /// - Throws: shape errors when the data does not fit the model.
    /// - Complexity: one forward and one backward pass per sample.
    public mutating func runEpoch(on data: Dataset, batchLimit: Int = .max) throws -> EpochReport {
        if let privacy = self.configuration.privacy {
            return try self.runPrivateEpoch(privacy, on: data, batchLimit: batchLimit)
        }
        let start = self.beginEpoch()
        var totalLoss = 0.0
        var correct = 0
        var processed = 0
        for batch in data.batches(size: self.configuration.batchSize, using: &self.generator).prefix(max(batchLimit, 0)) {
            processed += batch.count
            let shardCount = max(1, min(self.configuration.shards, batch.count))
            let seeds = (0..<shardCount).map { _ in self.generator.next() }
            var results = Trainer.runShards(model: self.model, data: data, batch: batch, seeds: seeds) {
                try Trainer.shardGradients(model: $0, data: $1, indices: $2, batchCount: batch.count, seed: $3)
            }
            var gradients: [Tensor] = []
            for index in results.indices {
                // Moved out of the array, so the first shard's gradients are uniquely owned and summed in place.
                guard let result = try results[index].take()?.get() else { continue }
                totalLoss += result.loss
                correct += result.correct
                if gradients.isEmpty {
                    gradients = result.gradients
                } else {
                    for index in gradients.indices { try gradients[index].add(result.gradients[index]) }
                }
            }
            try self.optimizer.update(&self.model.parameters, gradients: gradients)
        }
        return self.endEpoch(startedAt: start, totalLoss: totalLoss, correct: correct, processed: processed)
    }

    /// Sets the epoch's learning rate by the schedule; returns the clock's reading (uptime nanoseconds) for
    /// ``endEpoch(startedAt:totalLoss:correct:processed:)``.
    mutating func beginEpoch() -> UInt64 {
        self.optimizer.learningRate = self.configuration.schedule.rate(base: self.configuration.optimizer.learningRate,
                                                                       epoch: self.epoch)
        return DispatchTime.now().uptimeNanoseconds
    }

    /// Counts the epoch that started at `start` (uptime nanoseconds) done and reports it.
    mutating func endEpoch(startedAt start: UInt64, totalLoss: Double, correct: Int, processed: Int) -> EpochReport {
        self.epoch += 1
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let count = Double(max(processed, 1))
        return EpochReport(epoch: self.epoch, loss: totalLoss / count, accuracy: Double(correct) / count,
                           seconds: seconds, samplesPerSecond: Double(processed) / max(seconds, 1e-9))
    }

    /// Computes every shard of a batch with `shard` (model, data, the shard's indices, its seed), in parallel when
    /// threads allow; the results are in shard order.
    static func runShards(
        model: Model, data: Dataset, batch: ArraySlice<Int>, seeds: [UInt64],
        shard compute: @Sendable (Model, Dataset, ArraySlice<Int>, UInt64) throws -> ShardResult
    ) -> [Result<ShardResult, any Error>?] {
        let shardCount = seeds.count
        var results = [Result<ShardResult, any Error>?](repeating: nil, count: shardCount)
        let threads = Parallelism.threadCount
        let variant = KernelVariant.current
        results.withUnsafeMutableBufferPointer { slots in
            Parallelism.forEachChunk(shardCount, work: batch.count * model.parameterCount) { shard in
                let lower = batch.startIndex + shard * batch.count / shardCount
                let upper = batch.startIndex + (shard + 1) * batch.count / shardCount
                slots[shard] = Parallelism.$threadCount.withValue(max(1, threads / shardCount)) {
                    KernelVariant.$current.withValue(variant) {
                        Result { try compute(model, data, batch[lower..<upper], seeds[shard]) }
                    }
                }
            }
        }
        return results
    }

    /// What one shard of a mini-batch contributes.
    struct ShardResult {
        /// The shard's summed loss (mean loss × shard size).
        var loss: Double
        /// Correct predictions in the shard.
        var correct: Int
        /// The gradient of the batch's mean loss restricted to this shard's samples, per parameter.
        var gradients: [Tensor]
    }

    /// Forward and backward for the samples `indices` of a batch of `batchCount` samples.
    private static func shardGradients(model: Model, data: Dataset, indices: ArraySlice<Int>, batchCount: Int,
                                       seed: UInt64) throws -> ShardResult {
        let tape = Tape()
        let input = try data.features.gatherRows(indices)
        var context = ForwardContext(training: true, seed: seed)
        let (output, parameters) = try model.forward(input, on: tape, context: &context)
        let loss = try Trainer.loss(output, spec: model.spec, data: data, batch: indices)
        let correct = data.isClassification ? try Trainer.correctCount(output.value, spec: model.spec, data: data,
                                                                       batch: indices) : 0
        let weighted = loss.scaled(by: Float(indices.count) / Float(batchCount))
        let gradients = try tape.gradients(of: weighted)
        return ShardResult(loss: Double(loss.value.scalar ?? 0) * Double(indices.count), correct: correct,
                           gradients: parameters.map { gradients[$0] ?? Tensor(zeros: $0.shape) })
    }

    /// The loss of the spec's kind for a batch.
    static func loss(_ output: Variable, spec: ModelSpec, data: Dataset, batch: ArraySlice<Int>) throws
        -> Variable
    {
        switch spec.loss {
        case .crossEntropy:
            return try output.crossEntropy(labels: batch.map { data.labels[$0] })
        case .binaryCrossEntropy:
            return try output.binaryCrossEntropy(targets: batch.map { data.targets[$0] })
        case .meanSquaredError:
            let targets = Tensor(uncheckedShape: [batch.count], scalars: batch.map { data.targets[$0] })
            return try output.meanSquaredError(targets)
        }
    }

    static func correctCount(_ output: Tensor, spec: ModelSpec, data: Dataset, batch: ArraySlice<Int>) throws
        -> Int
    {
        let predicted: [Int]
        if spec.loss == .binaryCrossEntropy {
            predicted = output.scalars.map { $0 > 0 ? 1 : 0 }
        } else {
            predicted = try output.argmaxRows()
        }
        return zip(predicted, batch).reduce(0) { $0 + ($1.0 == data.labels[$1.1] ? 1 : 0) }
    }
}

extension Model {
    /// Trains this model for `configuration.epochs` epochs on `data`.
    /// - Parameter progress: called after each epoch with its report; what it throws ends training, the model
    ///   keeping the epochs done.
    /// - Returns: one report per epoch.
    /// - Throws: shape errors when the data does not fit the model; what `progress` throws.
    @discardableResult
    public mutating func train(on data: Dataset, configuration: TrainingConfiguration,
                               progress: (EpochReport) throws -> Void = { _ in }) throws -> [EpochReport] {
        var trainer = Trainer(model: self, configuration: configuration)
        self.parameters = []  // let the trainer own the only reference, so updates happen in place
        defer { self = trainer.model }
        var reports: [EpochReport] = []
        for _ in 0..<configuration.epochs {
            let report = try trainer.runEpoch(on: data)
            reports.append(report)
            try progress(report)
        }
        return reports
    }
}
