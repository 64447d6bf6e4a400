// Activations, Dropout, Flatten, Reshape: the parameter-free layers.

/// An elementwise nonlinearity: ReLU, GELU (exact, erf-based), Tanh or Sigmoid.
/// - Complexity: O(n) per pass.
public struct ActivationLayer: Layer {
    /// The function applied.
    public enum Function: String, Sendable, Codable, CaseIterable {
        case relu, gelu, tanh, sigmoid
    }

    /// The function applied.
    public var function: Function

    /// An activation layer.
    public init(_ function: Function) { self.function = function }

    public func callAsFunction(_ input: Variable, parameters: ArraySlice<Variable>, context: inout ForwardContext)
        throws -> Variable
    {
        switch self.function {
        case .relu: input.relu()
        case .gelu: input.gelu()
        case .tanh: input.tanh()
        case .sigmoid: input.sigmoid()
        }
    }
}

/// Inverted dropout during training (each value zeroed with probability `rate`, the rest scaled by
/// 1/(1 − rate)); the identity at inference. The mask comes from the context's seeded generator.
public struct Dropout: Layer {
    /// The probability of zeroing a value, in [0, 1).
    public var rate: Float

    /// A dropout layer.
    public init(rate: Float) { self.rate = rate }

    public func callAsFunction(_ input: Variable, parameters: ArraySlice<Variable>, context: inout ForwardContext)
        throws -> Variable
    {
        guard context.training, self.rate > 0 else { return input }
        return try input.dropout(rate: self.rate, using: &context.generator)
    }
}

/// Flattens every axis after the batch axis into one.
public struct Flatten: Layer {
    /// A flatten layer.
    public init() {}

    public func outputShape(inputShape: [Int]) throws -> [Int] { [inputShape.reduce(1, *)] }

    public func callAsFunction(_ input: Variable, parameters: ArraySlice<Variable>, context: inout ForwardContext)
        throws -> Variable
    {
        try input.flattened()
    }
}

/// Gives each sample a new shape of the same size (PyTorch's `Unflatten` on axis 1), e.g. `[40]` → `[1, 40]`
/// before a 1-D convolution.
public struct Reshape: Layer {
    /// The per-sample shape after the layer.
    public var shape: [Int]

    /// A reshape layer.
    public init(shape: [Int]) { self.shape = shape }

    public func outputShape(inputShape: [Int]) throws -> [Int] {
        guard self.shape.reduce(1, *) == inputShape.reduce(1, *) else {
            throw LearningError.shapeMismatch(operation: "Reshape", expected: self.shape, actual: inputShape)
        }
        return self.shape
    }

    public func callAsFunction(_ input: Variable, parameters: ArraySlice<Variable>, context: inout ForwardContext)
        throws -> Variable
    {
        try input.reshaped([input.shape[0]] + self.shape)
    }
}
