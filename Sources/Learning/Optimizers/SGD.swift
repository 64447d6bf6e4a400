// SGD: stochastic gradient descent with momentum and weight decay.

/// Stochastic gradient descent with momentum and L2 weight decay, with PyTorch's `torch.optim.SGD` semantics:
/// g ← g + λ·p; v ← μ·v + g (v = g on the first step); p ← p − η·v.
/// - Complexity: O(parameters) per update.
public struct SGD: Optimizer {
    public var learningRate: Float
    /// Momentum μ (0 for plain SGD).
    public var momentum: Float
    /// Weight decay λ.
    public var weightDecay: Float
    /// The momentum buffers (empty until the first update).
    private var velocity: [[Float]] = []

    /// An SGD optimizer.
    public init(learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    public mutating func update(_ parameters: inout [Tensor], gradients: [Tensor]) throws {
        try checkGradients(parameters, gradients, optimizer: "SGD")
        let first = self.velocity.isEmpty
        if first { self.velocity = parameters.map { [Float](repeating: 0, count: $0.scalarCount) } }
        let (rate, momentum, decay) = (self.learningRate, self.momentum, self.weightDecay)
        for index in parameters.indices {
            gradients[index].withUnsafeScalars { g in
                parameters[index].withUnsafeMutableScalars { p in
                    self.velocity[index].withUnsafeMutableBufferPointer { v in
                        if momentum == 0 {
                            for i in 0..<p.count { p[i] -= rate * (g[i] + decay * p[i]) }
                        } else if first {
                            for i in 0..<p.count {
                                v[i] = g[i] + decay * p[i]
                                p[i] -= rate * v[i]
                            }
                        } else {
                            for i in 0..<p.count {
                                v[i] = momentum * v[i] + (g[i] + decay * p[i])
                                p[i] -= rate * v[i]
                            }
                        }
                    }
                }
            }
        }
    }
}
