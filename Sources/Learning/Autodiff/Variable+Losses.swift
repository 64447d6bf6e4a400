// Variable+Losses: softmax, log-softmax and the loss functions (cross-entropy, binary cross-entropy, MSE).

import Foundation

extension Variable {
    /// Softmax along the last axis; ∂x = y ⊙ (g − Σ g⊙y).
    public func softmax() -> Variable {
        let output = Softmax.softmax(self.value)
        return self.tape.record(output, inputs: [self]) { gradient, _ in
            [Variable.rowwise(gradient, output) { g, y, width, base, dx in
                var dot: Float = 0
                for i in 0..<width { dot += g[base + i] * y[base + i] }
                for i in 0..<width { dx[base + i] = y[base + i] * (g[base + i] - dot) }
            }]
        }
    }

    /// Log-softmax along the last axis; ∂x = g − softmax(x) · Σ g.
    public func logSoftmax() -> Variable {
        let output = Softmax.logSoftmax(self.value)
        return self.tape.record(output, inputs: [self]) { gradient, _ in
            [Variable.rowwise(gradient, output) { g, y, width, base, dx in
                var total: Float = 0
                for i in 0..<width { total += g[base + i] }
                for i in 0..<width { dx[base + i] = g[base + i] - Foundation.exp(y[base + i]) * total }
            }]
        }
    }

    /// Mean cross-entropy of logits `[batch, classes]` against integer labels (softmax fused in, as PyTorch's
    /// `CrossEntropyLoss`); ∂logits = (softmax − onehot) / batch.
    /// - Throws: shape errors, or ``LearningError/invalidArgument(operation:reason:)`` for a label out of range.
    /// - Complexity: O(batch·classes).
    public func crossEntropy(labels: [Int]) throws -> Variable {
        let logits = self.value
        guard logits.rank == 2, logits.shape[0] == labels.count else {
            throw LearningError.shapeMismatch(operation: "crossEntropy", expected: [labels.count, logits.shape.last ?? 0],
                                              actual: logits.shape)
        }
        let classes = logits.shape[1]
        guard labels.allSatisfy({ $0 >= 0 && $0 < classes }) else {
            throw LearningError.invalidArgument(operation: "crossEntropy", reason: "a label is outside 0..<\(classes)")
        }
        let logProbabilities = Softmax.logSoftmax(logits)
        let loss = logProbabilities.withUnsafeScalars { p in
            labels.enumerated().reduce(0.0) { $0 - Double(p[$1.offset * classes + $1.element]) }
        }
        let batch = Float(max(labels.count, 1))
        return self.tape.record(Tensor(scalar: Float(loss) / batch), inputs: [self]) { gradient, _ in
            let scale = (gradient.scalar ?? 0) / batch
            return [logProbabilities.withUnsafeScalars { p in
                Tensor(shape: logits.shape) { dx in
                    for index in 0..<dx.count { dx[index] = Foundation.exp(p[index]) * scale }
                    for (row, label) in labels.enumerated() { dx[row * classes + label] -= scale }
                }
            }]
        }
    }

    /// Mean binary cross-entropy of logits against 0/1 targets of the same scalar count (sigmoid fused in, as
    /// `BCEWithLogitsLoss`): max(x, 0) − x·t + log(1 + e^−|x|); ∂x = (σ(x) − t) / n.
    /// - Complexity: O(n).
    public func binaryCrossEntropy(targets: [Float]) throws -> Variable {
        let logits = self.value
        guard logits.scalarCount == targets.count else {
            throw LearningError.shapeMismatch(operation: "binaryCrossEntropy", expected: [targets.count], actual: logits.shape)
        }
        let x = logits.scalars
        var loss = 0.0
        for (index, t) in targets.enumerated() {
            loss += Double(max(x[index], 0) - x[index] * t + Foundation.log(1 + Foundation.exp(-abs(x[index]))))
        }
        let count = Float(max(targets.count, 1))
        return self.tape.record(Tensor(scalar: Float(loss) / Float(count)), inputs: [self]) { gradient, _ in
            let scale = (gradient.scalar ?? 0) / count
            return [Tensor(shape: logits.shape) { dx in
                for index in 0..<dx.count { dx[index] = (Activation.sigmoid(x[index]) - targets[index]) * scale }
            }]
        }
    }

    /// Mean squared error against targets of the same scalar count; ∂x = 2(x − t) / n.
    /// - Complexity: O(n).
    public func meanSquaredError(_ targets: Tensor) throws -> Variable {
        let predictions = self.value
        guard predictions.scalarCount == targets.scalarCount else {
            throw LearningError.shapeMismatch(operation: "meanSquaredError", expected: predictions.shape, actual: targets.shape)
        }
        let (p, t) = (predictions.scalars, targets.scalars)
        var loss = 0.0
        for index in 0..<p.count { loss += Double((p[index] - t[index]) * (p[index] - t[index])) }
        let count = Float(max(p.count, 1))
        return self.tape.record(Tensor(scalar: Float(loss) / count), inputs: [self]) { gradient, _ in
            let scale = 2 * (gradient.scalar ?? 0) / count
            return [Tensor(shape: predictions.shape) { dx in
                for index in 0..<dx.count { dx[index] = (p[index] - t[index]) * scale }
            }]
        }
    }

    /// Applies `body(g, y, width, rowStart, dx)` to every row of the last axis.
    private static func rowwise(
        _ gradient: Tensor, _ output: Tensor,
        _ body: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Float>, Int, Int, UnsafeMutableBufferPointer<Float>) -> Void
    ) -> Tensor {
        let width = max(output.shape.last ?? 1, 1)
        return gradient.withUnsafeScalars { g in
            output.withUnsafeScalars { y in
                Tensor(shape: output.shape) { dx in
                    for row in 0..<(dx.count / width) { body(g, y, width, row * width, dx) }
                }
            }
        }
    }
}
