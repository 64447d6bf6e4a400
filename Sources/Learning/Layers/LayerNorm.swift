// LayerNorm: layer normalization over the last axis.

/// Layer normalization over the last axis: y = (x − μ)/√(σ² + ε)·γ + β, with γ (`weight`, initialized to 1) and
/// β (`bias`, initialized to 0) of the last axis' extent, as PyTorch's `LayerNorm(d)`.
/// - Complexity: O(n) per pass.
public struct LayerNorm: Layer {
    /// The ε added to the variance.
    public var epsilon: Float

    /// A layer-normalization layer.
    public init(epsilon: Float = 1e-5) { self.epsilon = epsilon }

    public var parameterNames: [String] { ["weight", "bias"] }

    public func parameterShapes(inputShape: [Int]) throws -> [[Int]] {
        guard let last = inputShape.last else {
            throw LearningError.rankMismatch(operation: "LayerNorm input", expected: 1, actual: 0)
        }
        return [[last], [last]]
    }

    public func initialParameters(inputShape: [Int], using generator: inout some RandomNumberGenerator) throws -> [Tensor] {
        let shapes = try self.parameterShapes(inputShape: inputShape)
        return [Tensor(repeating: 1, shape: shapes[0]), Tensor(zeros: shapes[1])]
    }

    public func callAsFunction(_ input: Variable, parameters: ArraySlice<Variable>, context: inout ForwardContext)
        throws -> Variable
    {
        try input.layerNorm(weight: parameters[parameters.startIndex], bias: parameters[parameters.startIndex + 1],
                            epsilon: self.epsilon)
    }
}
