// Adam: Adam and AdamW.

import Foundation

/// Adam (Kingma & Ba 2015) with PyTorch's `torch.optim.Adam` semantics, or AdamW (decoupled weight decay,
/// Loshchilov & Hutter 2019) when `decoupled` is true:
/// m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; p ← p − η·m̂ / (√v̂ + ε), with bias-corrected m̂, v̂.
/// - Complexity: O(parameters) per update.
public struct Adam: Optimizer {
    public var learningRate: Float
    /// Decay of the first moment.
    public var beta1: Float
    /// Decay of the second moment.
    public var beta2: Float
    /// Added to the denominator.
    public var epsilon: Float
    /// Weight decay: added to the gradient (Adam) or applied to the weights directly (AdamW).
    public var weightDecay: Float
    /// Whether weight decay is decoupled (AdamW).
    public var decoupled: Bool
    private var step = 0
    private var firstMoment: [[Float]] = []
    private var secondMoment: [[Float]] = []

    /// An Adam or AdamW optimizer.
    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0, decoupled: Bool = false) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupled = decoupled
    }

    public mutating func update(_ parameters: inout [Tensor], gradients: [Tensor]) throws {
        try checkGradients(parameters, gradients, optimizer: "Adam")
        if self.firstMoment.isEmpty {
            self.firstMoment = parameters.map { [Float](repeating: 0, count: $0.scalarCount) }
            self.secondMoment = self.firstMoment
        }
        self.step += 1
        let (b1, b2, eps, rate) = (self.beta1, self.beta2, self.epsilon, self.learningRate)
        let correction1 = 1 - Float(pow(Double(b1), Double(self.step)))
        let correction2 = 1 - Float(pow(Double(b2), Double(self.step)))
        let stepSize = rate / correction1
        let root2 = correction2.squareRoot()
        let coupledDecay = self.decoupled ? 0 : self.weightDecay
        let shrink = self.decoupled ? 1 - rate * self.weightDecay : 1
        for index in parameters.indices {
            gradients[index].withUnsafeScalars { g in
                parameters[index].withUnsafeMutableScalars { p in
                    self.firstMoment[index].withUnsafeMutableBufferPointer { m in
                        self.secondMoment[index].withUnsafeMutableBufferPointer { v in
                            for i in 0..<p.count {
                                let gradient = g[i] + coupledDecay * p[i]
                                m[i] = b1 * m[i] + (1 - b1) * gradient
                                v[i] = b2 * v[i] + (1 - b2) * gradient * gradient
                                p[i] = p[i] * shrink - stepSize * m[i] / (v[i].squareRoot() / root2 + eps)
                            }
                        }
                    }
                }
            }
        }
    }
}
