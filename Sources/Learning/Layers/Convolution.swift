// Conv1D and Conv2D: convolution layers.

/// A 1-D convolution layer (PyTorch's `Conv1d`): input `[batch, channels, length]`, weight
/// `[filters, channels, kernel]`, bias `[filters]`, output `[batch, filters, ⌊(L + 2p − k)/s⌋ + 1]`.
/// Initialization: uniform in ±1/√(channels·kernel), as PyTorch.
/// - Complexity: O(batch·filters·channels·kernel·outputLength) per pass (im2col + GEMM).
public struct Conv1D: Layer {
    /// Output channels.
    public var filters: Int
    /// Window length.
    public var kernel: Int
    /// Step between windows.
    public var stride: Int
    /// Zeros added at each end.
    public var padding: Int

    /// A 1-D convolution.
    public init(filters: Int, kernel: Int, stride: Int = 1, padding: Int = 0) {
        (self.filters, self.kernel, self.stride, self.padding) = (filters, kernel, stride, padding)
    }

    public var parameterNames: [String] { ["weight", "bias"] }

    public func parameterShapes(inputShape: [Int]) throws -> [[Int]] {
        guard inputShape.count == 2 else {
            throw LearningError.rankMismatch(operation: "Conv1D input [channels, length]", expected: 2, actual: inputShape.count)
        }
        return [[self.filters, inputShape[0], self.kernel], [self.filters]]
    }

    public func outputShape(inputShape: [Int]) throws -> [Int] {
        _ = try self.parameterShapes(inputShape: inputShape)
        let length = (inputShape[1] + 2 * self.padding - self.kernel) / max(self.stride, 1) + 1
        guard self.kernel > 0, self.stride > 0, self.padding >= 0, length > 0 else {
            throw LearningError.invalidArgument(operation: "Conv1D", reason: "kernel \(self.kernel), stride \(self.stride), padding \(self.padding) do not fit length \(inputShape[1])")
        }
        return [self.filters, length]
    }

    public func initialParameters(inputShape: [Int], using generator: inout some RandomNumberGenerator) throws -> [Tensor] {
        try self.parameterShapes(inputShape: inputShape).map {
            uniformParameters(shape: $0, fanIn: inputShape[0] * self.kernel, using: &generator)
        }
    }

    public func callAsFunction(_ input: Variable, parameters: ArraySlice<Variable>, context: inout ForwardContext)
        throws -> Variable
    {
        try input.conv1d(parameters[parameters.startIndex], bias: parameters[parameters.startIndex + 1],
                         stride: self.stride, padding: self.padding)
    }
}

/// A 2-D convolution layer (PyTorch's `Conv2d`): input `[batch, channels, height, width]`, weight
/// `[filters, channels, kh, kw]`, bias `[filters]`. Initialization: uniform in ±1/√(channels·kh·kw).
/// - Complexity: O(batch·filters·channels·kh·kw·OH·OW) per pass (im2col + GEMM).
public struct Conv2D: Layer {
    /// Output channels.
    public var filters: Int
    /// Window height and width.
    public var kernel: (Int, Int)
    /// Steps along height and width.
    public var stride: (Int, Int)
    /// Zeros added on each side along height and width.
    public var padding: (Int, Int)

    /// A 2-D convolution.
    public init(filters: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0)) {
        (self.filters, self.kernel, self.stride, self.padding) = (filters, kernel, stride, padding)
    }

    public var parameterNames: [String] { ["weight", "bias"] }

    public func parameterShapes(inputShape: [Int]) throws -> [[Int]] {
        guard inputShape.count == 3 else {
            throw LearningError.rankMismatch(operation: "Conv2D input [channels, height, width]", expected: 3,
                                             actual: inputShape.count)
        }
        return [[self.filters, inputShape[0], self.kernel.0, self.kernel.1], [self.filters]]
    }

    public func outputShape(inputShape: [Int]) throws -> [Int] {
        _ = try self.parameterShapes(inputShape: inputShape)
        let geometry = ConvolutionGeometry(batch: 1, channels: inputShape[0], height: inputShape[1],
                                           width: inputShape[2], filters: self.filters, kernel: self.kernel,
                                           stride: self.stride, padding: self.padding)
        try geometry.validate()
        return [self.filters, geometry.outputHeight, geometry.outputWidth]
    }

    public func initialParameters(inputShape: [Int], using generator: inout some RandomNumberGenerator) throws -> [Tensor] {
        try self.parameterShapes(inputShape: inputShape).map {
            uniformParameters(shape: $0, fanIn: inputShape[0] * self.kernel.0 * self.kernel.1, using: &generator)
        }
    }

    public func callAsFunction(_ input: Variable, parameters: ArraySlice<Variable>, context: inout ForwardContext)
        throws -> Variable
    {
        try input.conv2d(parameters[parameters.startIndex], bias: parameters[parameters.startIndex + 1],
                         stride: self.stride, padding: self.padding)
    }
}
