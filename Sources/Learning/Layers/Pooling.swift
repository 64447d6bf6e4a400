// Pool: max and average pooling layers over 1-D and 2-D inputs.

/// Max or average pooling without padding, over the last axis of `[channels, length]` (1-D) or the last two of
/// `[channels, height, width]` (2-D), as PyTorch's `MaxPool1d/2d` and `AvgPool1d/2d`.
/// - Complexity: O(output · window) per pass.
public struct Pool: Layer {
    /// Max or average.
    public enum Kind: String, Sendable, Codable {
        case max, average
    }

    /// Max or average pooling.
    public var kind: Kind
    /// Window height and width (height 1 for 1-D).
    public var kernel: (Int, Int)
    /// Steps along height and width.
    public var stride: (Int, Int)

    /// A pooling layer; the stride defaults to the window.
    public init(_ kind: Kind, kernel: (Int, Int), stride: (Int, Int)? = nil) {
        self.kind = kind
        self.kernel = kernel
        self.stride = stride ?? kernel
    }

    public func outputShape(inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 2 || inputShape.count == 3 else {
            throw LearningError.rankMismatch(operation: "Pool input", expected: 3, actual: inputShape.count)
        }
        let width = inputShape[inputShape.count - 1]
        let height = inputShape.count == 3 ? inputShape[1] : 1
        guard self.kernel.0 > 0, self.kernel.1 > 0, self.stride.0 > 0, self.stride.1 > 0,
            self.kernel.0 <= height, self.kernel.1 <= width
        else {
            throw LearningError.invalidArgument(operation: "Pool", reason: "window \(self.kernel) on \(inputShape)")
        }
        let outputWidth = (width - self.kernel.1) / self.stride.1 + 1
        if inputShape.count == 2 { return [inputShape[0], outputWidth] }
        return [inputShape[0], (height - self.kernel.0) / self.stride.0 + 1, outputWidth]
    }

    public func callAsFunction(_ input: Variable, parameters: ArraySlice<Variable>, context: inout ForwardContext)
        throws -> Variable
    {
        try input.pool(kernel: self.kernel, stride: self.stride, average: self.kind == .average)
    }
}
