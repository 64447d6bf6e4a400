// Evaluation: a model's loss and metrics on a data set.

/// A model's figures on a data set.
public struct Evaluation: Codable, Sendable, Equatable {
    /// The mean loss (the spec's loss function).
    public var loss: Double
    /// Classification accuracy (0 for regression).
    public var accuracy: Double
    /// Mean squared error of the first output against the targets (regression; 0 otherwise).
    public var meanSquaredError: Double
    /// The predicted class of each sample (empty for regression).
    public var predictions: [Int]
}

extension Model {
    /// The loss, accuracy and predictions of this model on `data`, in batches of `batchSize`.
    /// - Throws: shape errors when the data does not fit the model.
    /// - Complexity: one forward pass per sample.
    public func evaluate(on data: Dataset, batchSize: Int = 1024) throws -> Evaluation {
        var totalLoss = 0.0
        var predictions: [Int] = []
        var squaredError = 0.0
        let tape = Tape()
        for start in stride(from: 0, to: data.count, by: max(batchSize, 1)) {
            let batch = start..<min(start + batchSize, data.count)
            var context = ForwardContext(training: false)
            let (output, _) = try self.forward(try data.features.slice(batch), on: tape, context: &context)
            let logits = output.value
            switch self.spec.loss {
            case .crossEntropy:
                totalLoss += Double(try output.crossEntropy(labels: Array(data.labels[batch])).value.scalar ?? 0)
                    * Double(batch.count)
                predictions += try logits.argmaxRows()
            case .binaryCrossEntropy:
                totalLoss += Double(try output.binaryCrossEntropy(targets: Array(data.targets[batch])).value.scalar ?? 0)
                    * Double(batch.count)
                predictions += logits.scalars.map { $0 > 0 ? 1 : 0 }
            case .meanSquaredError:
                let values = logits.scalars
                let width = values.count / max(batch.count, 1)
                for (row, index) in batch.enumerated() {
                    let error = Double(values[row * width] - data.targets[index])
                    squaredError += error * error
                }
            }
            tape.reset()
        }
        let count = Double(max(data.count, 1))
        if self.spec.loss == .meanSquaredError {
            return Evaluation(loss: squaredError / count, accuracy: 0, meanSquaredError: squaredError / count,
                              predictions: [])
        }
        return Evaluation(loss: totalLoss / count, accuracy: ClassificationMetrics.accuracy(predictions, data.labels),
                          meanSquaredError: 0, predictions: predictions)
    }
}
