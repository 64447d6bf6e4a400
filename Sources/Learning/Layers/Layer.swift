// Layer: the protocol of every layer, and the context a forward pass runs in.

/// One layer of a network: a differentiable function of its input and its parameters.
///
/// Layers describe their parameters (shapes, names, initialization) but do not store them: a ``Model`` keeps
/// every parameter in one array in a fixed order, which makes flat parameter vectors, optimizers and weight files
/// simple, and lets optimizers update parameters in place without copies.
public protocol Layer: Sendable {
    /// The parameters' names (PyTorch's: `weight`, `bias`) in their fixed order.
    var parameterNames: [String] { get }
    /// The parameters' shapes, in the same order, for an input of `inputShape` (one sample, no batch axis).
    func parameterShapes(inputShape: [Int]) throws -> [[Int]]
    /// The output shape (one sample) for an input of `inputShape`.
    /// - Throws: ``LearningError`` when the input does not fit the layer.
    func outputShape(inputShape: [Int]) throws -> [Int]
    /// Fresh parameters for an input of `inputShape`, drawn from `generator`.
    func initialParameters(inputShape: [Int], using generator: inout some RandomNumberGenerator) throws -> [Tensor]
    /// Applies the layer to a batch.
    /// - Parameters:
    ///   - input: `[batch] + inputShape`.
    ///   - parameters: this layer's parameters, in ``parameterNames`` order.
    ///   - context: training or inference, and the generator for dropout.
    func callAsFunction(_ input: Variable, parameters: ArraySlice<Variable>, context: inout ForwardContext) throws
        -> Variable
}

extension Layer {
    public var parameterNames: [String] { [] }
    public func parameterShapes(inputShape: [Int]) throws -> [[Int]] { [] }
    public func outputShape(inputShape: [Int]) throws -> [Int] { inputShape }
    public func initialParameters(inputShape: [Int], using generator: inout some RandomNumberGenerator) throws -> [Tensor] { [] }
}

/// What a forward pass needs besides inputs and parameters.
public struct ForwardContext {
    /// Whether the pass is for training (dropout active) or inference.
    public var training: Bool
    /// The generator for dropout masks.
    public var generator: Xoshiro256

    /// A context; `seed` feeds the dropout generator.
    public init(training: Bool, seed: UInt64 = 0) {
        self.training = training
        self.generator = Xoshiro256(seed: seed)
    }
}

/// PyTorch's default initialization of weights and biases: U(−1/√fanIn, 1/√fanIn).
func uniformParameters(shape: [Int], fanIn: Int, using generator: inout some RandomNumberGenerator) -> Tensor {
    let bound = 1 / Float(max(fanIn, 1)).squareRoot()
    return Tensor(shape: shape) { out in
        for index in 0..<out.count { out[index] = generator.nextFloat(bound: bound) }
    }
}
