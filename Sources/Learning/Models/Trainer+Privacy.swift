// DP-SGD: Poisson-sampled batches, each example's gradient clipped, Gaussian noise on the sum.

import Dispatch
import Foundation

/// Differentially private training (DP-SGD, Abadi et al. 2016) as Opacus runs it: each step takes every example
/// with probability ``samplingRate`` (Poisson sampling), clips each example's gradient to norm ``clippingNorm``,
/// sums them, adds Gaussian noise of standard deviation ``noiseMultiplier`` × ``clippingNorm`` to every coordinate
/// and divides by the expected batch size; an epoch is 1 / q steps. What it spends is what the accountant
/// (`Federation.RDPAccountant`) computes for (q, σ, steps).
public struct DifferentialPrivacy: Codable, Sendable, Equatable {
    /// The largest norm an example's gradient keeps (C).
    public var clippingNorm: Double
    /// The noise's standard deviation over ``clippingNorm`` (σ).
    public var noiseMultiplier: Double
    /// The probability that an example is in a step's batch (q).
    public var samplingRate: Double

    /// DP-SGD clipping to `clippingNorm`, with noise `noiseMultiplier` and sampling rate `samplingRate`.
    public init(clippingNorm: Double, noiseMultiplier: Double, samplingRate: Double) {
        self.clippingNorm = clippingNorm
        self.noiseMultiplier = noiseMultiplier
        self.samplingRate = samplingRate
    }

    /// Why the configuration cannot train, or nil.
    var problem: String? {
        if !(self.clippingNorm > 0 && self.clippingNorm.isFinite) { return "the clipping norm must be positive" }
        if !(self.noiseMultiplier >= 0 && self.noiseMultiplier.isFinite) { return "the noise multiplier must be 0 or more" }
        if !(self.samplingRate > 0 && self.samplingRate <= 1) { return "the sampling rate must lie in (0, 1]" }
        return nil
    }
}

extension Trainer {
    /// One DP-SGD epoch: ⌈1 / q⌉ steps of Poisson-sampled batches, or the first `batchLimit`.
    ///
    /// Each step runs, per shard, one forward and one backward pass on one tape: the backward pass measures each
    /// example's gradient norm (``ExampleNorms``) and leaves the parameter gradients to be formed from each layer's
    /// per-example output gradients scaled by the examples' clipping factors, which gives the clipped sum. Shards
    /// are fixed by ``TrainingConfiguration/shards`` and summed in order, and the noise is drawn from the trainer's
    /// generator after them, so the weights are the same bits for any thread count.
    /// - Throws: ``LearningError/invalidArgument(operation:reason:)`` for a configuration that cannot train or a
    ///   model with a parameter whose per-example gradient is not measured; shape errors.
    mutating func runPrivateEpoch(_ privacy: DifferentialPrivacy, on data: Dataset, batchLimit: Int) throws -> EpochReport {
        if let problem = privacy.problem { throw LearningError.invalidArgument(operation: "DP-SGD", reason: problem) }
        let start = self.beginEpoch()
        let steps = min(Int((1 / privacy.samplingRate).rounded(.up)), max(batchLimit, 0))
        let expectedBatch = Float(privacy.samplingRate * Double(data.count))
        var (totalLoss, correct, processed) = (0.0, 0, 0)
        for _ in 0..<steps {
            let batch = self.generator.poissonSample(of: data.count, rate: privacy.samplingRate)
            let shardCount = max(1, min(self.configuration.shards, batch.count))
            let seeds = (0..<shardCount).map { _ in self.generator.next() }
            var gradients = self.model.parameters.map { Tensor(zeros: $0.shape) }
            if !batch.isEmpty {
                processed += batch.count
                let results = Trainer.runShards(model: self.model, data: data, batch: batch[...], seeds: seeds) {
                    try Trainer.clippedShardGradients(model: $0, data: $1, indices: $2, clippingNorm: Float(privacy.clippingNorm), seed: $3)
                }
                for result in results {
                    guard let result = try result?.get() else { continue }
                    totalLoss += result.loss
                    correct += result.correct
                    for index in gradients.indices { try gradients[index].add(result.gradients[index]) }
                }
            }
            let deviation = privacy.noiseMultiplier * privacy.clippingNorm
            for index in gradients.indices {
                gradients[index].withUnsafeMutableScalars { scalars in
                    self.generator.addGaussianNoise(to: scalars, deviation: deviation, thenDivideBy: expectedBatch)
                }
            }
            try self.optimizer.update(&self.model.parameters, gradients: gradients)
        }
        return self.endEpoch(startedAt: start, totalLoss: totalLoss, correct: correct, processed: processed)
    }

    /// The sum of the clipped gradients of the examples `indices`, each example's clipped to `clippingNorm`.
    static func clippedShardGradients(model: Model, data: Dataset, indices: ArraySlice<Int>, clippingNorm: Float,
                                      seed: UInt64) throws -> ShardResult {
        let tape = Tape()
        let input = try data.features.gatherRows(indices)
        var context = ForwardContext(training: true, seed: seed)
        let (output, parameters) = try model.forward(input, on: tape, context: &context)
        let loss = try Trainer.loss(output, spec: model.spec, data: data, batch: indices)
        let correct = data.isClassification ? try Trainer.correctCount(output.value, spec: model.spec, data: data,
                                                                       batch: indices) : 0
        // The mean loss times the example count: each example's gradient is its own loss's.
        let summed = loss.scaled(by: Float(indices.count))
        let norms = ExampleNorms(examples: indices.count)
        tape.exampleNorms = norms
        _ = try tape.gradients(of: summed)
        guard norms.coveredParameters == parameters.count else {
            throw LearningError.invalidArgument(
                operation: "DP-SGD",
                reason: "\(parameters.count - norms.coveredParameters) of the model's \(parameters.count) parameter "
                    + "tensors have no per-example gradient norm; DP-SGD trains dense, convolution and layer-norm layers")
        }
        let scales = norms.squared.map { min(1, clippingNorm / max(Float($0.squareRoot()), 1e-12)) }
        // A layer may see its parameter through other operations (a convolution's reshaped kernel): the scaled
        // gradients flow back from where the layers left them to the parameters.
        tape.exampleNorms = nil
        let gradients = try tape.gradients(from: try norms.scaledParameterGradients(scales))
        return ShardResult(loss: Double(loss.value.scalar ?? 0) * Double(indices.count), correct: correct,
                           gradients: parameters.map { gradients[$0] ?? Tensor(zeros: $0.shape) })
    }
}

extension RandomNumberGenerator {
    /// The indices in 0..<count that each appear with probability `rate`, independently (Poisson sampling),
    /// in order: the gaps between them are geometric, so it takes one draw per index taken, not one per index.
    /// `rate` lies in (0, 1].
    public mutating func poissonSample(of count: Int, rate: Double) -> [Int] {
        precondition(rate > 0 && rate <= 1, "a sampling rate in (0, 1]")
        let logSkipped = log1p(-rate)
        var (indices, index) = ([Int](), -1)
        while true {
            // P(gap > k) = (1 − rate)^k: k = ⌊log(u) / log(1 − rate)⌋ for u uniform in (0, 1].
            let gap = log(1 - self.nextUnitDouble()) / logSkipped
            index += 1 + Int(min(gap.rounded(.down), Double(count)))
            guard index < count else { return indices }
            indices.append(index)
        }
    }

    /// Adds noise N(0, deviation²) to each scalar, then divides it by `divisor`, the deviates drawn in order from
    /// this generator by the ziggurat method.
    mutating func addGaussianNoise(to scalars: UnsafeMutableBufferPointer<Float>, deviation: Double,
                                   thenDivideBy divisor: Float) {
        let ziggurat = NormalZiggurat.shared
        for index in scalars.indices {
            scalars[index] = (scalars[index] + Float(deviation * ziggurat.sample(using: &self))) / divisor
        }
    }
}
