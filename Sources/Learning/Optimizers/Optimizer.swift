// Optimizer: the protocol of parameter updates, and the specification that names one.

/// Updates parameters from their gradients, in place.
public protocol Optimizer: Sendable {
    /// The step size of the next update.
    var learningRate: Float { get set }
    /// Applies one update.
    /// - Throws: ``LearningError/shapeMismatch(operation:expected:actual:)`` when a gradient does not match.
    mutating func update(_ parameters: inout [Tensor], gradients: [Tensor]) throws
}

/// An optimizer described as data (for JSON, the CLI and federated tasks).
public struct OptimizerSpec: Codable, Sendable, Equatable {
    /// The algorithm.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case sgd, adam, adamw
    }

    /// The algorithm.
    public var kind: Kind
    /// The learning rate.
    public var learningRate: Float
    /// SGD momentum (ignored by Adam).
    public var momentum: Float
    /// L2 weight decay (SGD, Adam) or decoupled decay (AdamW).
    public var weightDecay: Float

    /// An optimizer specification; defaults follow `torch_train.py` (SGD, lr 0.1, momentum 0.9).
    public init(kind: Kind = .sgd, learningRate: Float = 0.1, momentum: Float = 0.9, weightDecay: Float = 0) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    /// The optimizer this specification describes.
    public func makeOptimizer() -> any Optimizer {
        switch self.kind {
        case .sgd: SGD(learningRate: self.learningRate, momentum: self.momentum, weightDecay: self.weightDecay)
        case .adam: Adam(learningRate: self.learningRate, weightDecay: self.weightDecay, decoupled: false)
        case .adamw: Adam(learningRate: self.learningRate, weightDecay: self.weightDecay, decoupled: true)
        }
    }
}

/// Checks that gradients match parameters one for one.
func checkGradients(_ parameters: [Tensor], _ gradients: [Tensor], optimizer: String) throws {
    guard parameters.count == gradients.count else {
        throw LearningError.shapeMismatch(operation: optimizer, expected: [parameters.count], actual: [gradients.count])
    }
    for (parameter, gradient) in zip(parameters, gradients) where parameter.shape != gradient.shape {
        throw LearningError.shapeMismatch(operation: optimizer, expected: parameter.shape, actual: gradient.shape)
    }
}
