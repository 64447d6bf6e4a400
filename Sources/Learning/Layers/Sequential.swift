// Sequential: layers applied one after another.

/// Layers applied in order; parameters are the layers' parameters concatenated in layer order.
///
/// Parameter names follow PyTorch's `nn.Sequential`: `"<layer index>.<name>"`, e.g. `0.weight`, `2.bias`.
public struct Sequential: Layer {
    /// The layers, in order.
    public var layers: [any Layer]

    /// A sequence of layers.
    public init(_ layers: [any Layer]) { self.layers = layers }

    public var parameterNames: [String] {
        self.layers.enumerated().flatMap { index, layer in layer.parameterNames.map { "\(index).\($0)" } }
    }

    /// The input shape of every layer and the final output shape, for one sample of `inputShape`.
    /// - Throws: the first layer that does not fit its input.
    public func shapes(inputShape: [Int]) throws -> [[Int]] {
        var shapes = [inputShape]
        for layer in self.layers { shapes.append(try layer.outputShape(inputShape: shapes[shapes.count - 1])) }
        return shapes
    }

    public func parameterShapes(inputShape: [Int]) throws -> [[Int]] {
        let shapes = try self.shapes(inputShape: inputShape)
        return try self.layers.enumerated().flatMap { index, layer in
            try layer.parameterShapes(inputShape: shapes[index])
        }
    }

    public func outputShape(inputShape: [Int]) throws -> [Int] {
        try self.shapes(inputShape: inputShape).last ?? inputShape
    }

    public func initialParameters(inputShape: [Int], using generator: inout some RandomNumberGenerator) throws -> [Tensor] {
        let shapes = try self.shapes(inputShape: inputShape)
        var parameters: [Tensor] = []
        for (index, layer) in self.layers.enumerated() {
            parameters += try layer.initialParameters(inputShape: shapes[index], using: &generator)
        }
        return parameters
    }

    public func callAsFunction(_ input: Variable, parameters: ArraySlice<Variable>, context: inout ForwardContext)
        throws -> Variable
    {
        var output = input
        var next = parameters.startIndex
        for layer in self.layers {
            let count = layer.parameterNames.count
            output = try layer(output, parameters: parameters[next..<(next + count)], context: &context)
            next += count
        }
        return output
    }
}
