// Dense: a fully connected layer.

/// A fully connected layer: y = x·Wᵀ + b.
///
/// Input `[batch, in]`, weight `[out, in]` (PyTorch's `Linear` layout), bias `[out]`, output `[batch, out]`.
/// Initialization: W and b uniform in ±1/√in, as PyTorch.
/// - Complexity: O(batch·in·out) per pass.
public struct Dense: Layer {
    /// Output features.
    public var outputs: Int

    /// A dense layer with `outputs` output features (the input size comes from the model's shapes).
    public init(outputs: Int) { self.outputs = outputs }

    public var parameterNames: [String] { ["weight", "bias"] }

    public func parameterShapes(inputShape: [Int]) throws -> [[Int]] {
        guard inputShape.count == 1 else {
            throw LearningError.rankMismatch(operation: "Dense input (flatten first)", expected: 1, actual: inputShape.count)
        }
        return [[self.outputs, inputShape[0]], [self.outputs]]
    }

    public func outputShape(inputShape: [Int]) throws -> [Int] {
        _ = try self.parameterShapes(inputShape: inputShape)
        return [self.outputs]
    }

    public func initialParameters(inputShape: [Int], using generator: inout some RandomNumberGenerator) throws -> [Tensor] {
        let shapes = try self.parameterShapes(inputShape: inputShape)
        return shapes.map { uniformParameters(shape: $0, fanIn: inputShape[0], using: &generator) }
    }

    public func callAsFunction(_ input: Variable, parameters: ArraySlice<Variable>, context: inout ForwardContext)
        throws -> Variable
    {
        try input.dense(parameters[parameters.startIndex], bias: parameters[parameters.startIndex + 1])
    }
}
