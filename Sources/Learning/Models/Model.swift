// Model: a network built from a spec, with its parameters in one fixed-order array.

/// A trainable model: a ``ModelSpec``, the network it describes and all parameters in one array.
///
/// Parameters are kept in the network's fixed order (``parameterNames``), so a model converts to and from one flat
/// `[Float]` vector — what federated training exchanges — and to and from safetensors.
///
/// ```swift
/// var model = try Model(spec: .builtin("mlp", features: 64, classes: 10), seed: 42)
/// let report = try model.train(on: train, configuration: TrainingConfiguration(epochs: 10))
/// let accuracy = try model.evaluate(on: test).accuracy
/// ```
public struct Model: Sendable {
    /// The specification the model was built from.
    public let spec: ModelSpec
    /// The network.
    public let network: Sequential
    /// Every parameter, in ``parameterNames`` order.
    public var parameters: [Tensor]

    /// A model with fresh parameters drawn from `generator` (PyTorch's default initialization scheme).
    /// - Throws: ``LearningError`` when the spec cannot be built.
    public init(spec: ModelSpec, using generator: inout some RandomNumberGenerator) throws {
        self.spec = spec
        self.network = try spec.makeNetwork()
        self.parameters = try self.network.initialParameters(inputShape: spec.inputShape, using: &generator)
    }

    /// A model whose parameters are drawn from `Xoshiro256(seed: seed)`: the same seed gives the same model on
    /// every node.
    public init(spec: ModelSpec, seed: UInt64) throws {
        var generator = Xoshiro256(seed: seed)
        try self.init(spec: spec, using: &generator)
    }

    /// The parameters' names, PyTorch style (`0.weight`, `0.bias`, `2.weight`, …).
    public var parameterNames: [String] { self.network.parameterNames }

    /// The parameters' shapes.
    public var parameterShapes: [[Int]] { self.parameters.map(\.shape) }

    /// The total number of parameter scalars.
    public var parameterCount: Int { self.parameters.reduce(0) { $0 + $1.scalarCount } }

    /// Whether every parameter is a finite number (no NaN or infinity): what training that diverged, or a damaged
    /// weights file, breaks.
    public var hasFiniteParameters: Bool { self.parameters.allSatisfy { $0.scalars.allSatisfy(\.isFinite) } }

    /// All parameters concatenated in ``parameterNames`` order.
    /// - Complexity: O(parameterCount).
    public var flatParameters: [Float] {
        var flat: [Float] = []
        flat.reserveCapacity(self.parameterCount)
        for parameter in self.parameters { flat += parameter.scalars }
        return flat
    }

    /// Replaces all parameters from one flat vector in ``parameterNames`` order.
    /// - Throws: ``LearningError/scalarCountMismatch(shape:count:)`` when the length differs from
    ///   ``parameterCount``.
    public mutating func setFlatParameters(_ flat: [Float]) throws {
        guard flat.count == self.parameterCount else {
            throw LearningError.scalarCountMismatch(shape: [self.parameterCount], count: flat.count)
        }
        var start = 0
        for index in self.parameters.indices {
            let shape = self.parameters[index].shape
            let count = self.parameters[index].scalarCount
            self.parameters[index] = Tensor(uncheckedShape: shape, scalars: Array(flat[start..<(start + count)]))
            start += count
        }
    }

    /// Runs the network on `input` (`[batch] + spec.inputShape`) on `tape`, returning the output variable and
    /// the parameter variables.
    func forward(_ input: Tensor, on tape: Tape, context: inout ForwardContext) throws -> (Variable, [Variable]) {
        guard Array(input.shape.dropFirst()) == self.spec.inputShape else {
            throw LearningError.shapeMismatch(operation: "model input", expected: [input.shape.first ?? 0] + self.spec.inputShape,
                                              actual: input.shape)
        }
        let parameters = self.parameters.map { tape.parameter($0) }
        let output = try self.network(tape.constant(input), parameters: parameters[...], context: &context)
        return (output, parameters)
    }

    /// The network's outputs (logits for classification) for a batch `[batch] + spec.inputShape`.
    /// - Throws: a shape error when the input does not fit.
    /// - Complexity: one forward pass.
    public func outputs(_ input: Tensor) throws -> Tensor {
        var context = ForwardContext(training: false)
        return try self.forward(input, on: Tape(), context: &context).0.value
    }

    /// The predicted class of each sample (arg-max of the logits, or logit > 0 for a one-output binary model).
    public func predictClasses(_ input: Tensor) throws -> [Int] {
        let logits = try self.outputs(input)
        if self.spec.loss == .binaryCrossEntropy { return logits.scalars.map { $0 > 0 ? 1 : 0 } }
        return try logits.viewed(as: [input.shape[0], logits.scalarCount / max(input.shape[0], 1)]).argmaxRows()
    }
}
