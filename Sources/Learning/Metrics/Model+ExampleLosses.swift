// Model+ExampleLosses: the loss of every sample, for paired comparisons of two models on the same data.

import Foundation

extension Model {
    /// The loss of each sample of `data` under the spec's loss, in sample order, in batches of `batchSize`.
    ///
    /// Cross-entropy: `−log softmax(logits)[label]`; binary cross-entropy: `max(x, 0) − x·t + log(1 + e^−|x|)`;
    /// mean squared error: `(output₀ − target)²`, the first output as ``evaluate(on:batchSize:)`` measures it.
    /// Their mean is ``Evaluation/loss`` up to `Float` rounding. Comparing two models sample by sample (a paired
    /// difference) cancels most of the variation between samples that their mean losses alone would carry.
    ///
    /// ```swift
    /// let with = try candidate.exampleLosses(on: heldOut)
    /// let without = try current.exampleLosses(on: heldOut)
    /// let differences = zip(with, without).map { $0 - $1 }
    /// ```
    ///
    /// - Returns: `data.count` losses; not capped, so a diverged model gives infinities or NaN.
    /// - Throws: shape errors when the data does not fit the model, and
    ///   ``LearningError/invalidArgument(operation:reason:)`` for a label outside the model's classes.
    /// - Complexity: one forward pass per sample, as ``evaluate(on:batchSize:)``.
    public func exampleLosses(on data: Dataset, batchSize: Int = 1024) throws -> [Double] {
        let size = max(batchSize, 1)
        var losses: [Double] = []
        losses.reserveCapacity(data.count)
        let tape = Tape()
        for start in stride(from: 0, to: data.count, by: size) {
            let batch = start..<min(start + size, data.count)
            var context = ForwardContext(training: false)
            let output = try self.forward(try data.features.slice(batch), on: tape, context: &context).0.value
            tape.reset()
            let width = output.scalarCount / batch.count
            switch self.spec.loss {
            case .crossEntropy:
                let labels = data.labels[batch]
                guard labels.count == batch.count, labels.allSatisfy({ $0 < width }) else {
                    throw LearningError.invalidArgument(operation: "exampleLosses",
                                                        reason: "a label is outside 0..<\(width)")
                }
                Softmax.logSoftmax(output).withUnsafeScalars { p in
                    for (row, label) in labels.enumerated() { losses.append(-Double(p[row * width + label])) }
                }
            case .binaryCrossEntropy:
                output.withUnsafeScalars { x in
                    for (row, index) in batch.enumerated() {
                        let (logit, target) = (x[row * width], data.targets[index])
                        let softplus = Foundation.log(1 + Foundation.exp(-abs(logit)))
                        losses.append(Double(max(logit, 0) - logit * target + softplus))
                    }
                }
            case .meanSquaredError:
                output.withUnsafeScalars { values in
                    for (row, index) in batch.enumerated() {
                        let error = Double(values[row * width] - data.targets[index])
                        losses.append(error * error)
                    }
                }
            }
        }
        return losses
    }
}
