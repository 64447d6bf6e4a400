// FixedOrderNetwork: a model's forward pass whose output bits do not depend on the CPU, the threads or the kernels.

/// A trained model's forward pass for serving and for checking served answers: the same output bits on every
/// CPU (x86-64 with or without AVX2 or AVX-512, arm64), for any thread count and kernel variant.
///
/// ``Model/outputs(_:)`` is faster on large batches but not reproducible across machines: its GEMM kernels are
/// chosen at run time (AVX-512, AVX2 with FMA, portable), it splits work across threads, and it calls libm's
/// `exp`, `tanh` and `erf`. This path uses none of them: one thread; each output of a dense or convolution layer
/// is its bias plus the products of its inputs (or patch, in channel, row, column order, padding as zeros) added
/// one at a time in that order; no fused multiply-add; ``FixedOrderMath`` for the transcendental functions. Its outputs agree with ``Model/outputs(_:)`` to rounding (relative 10⁻⁴ in the
/// tests) and match it layer for layer: dense, conv1d, conv2d, max and average pooling, layer normalization,
/// relu, gelu, tanh, sigmoid; flatten and reshape move nothing, dropout is the identity at inference.
///
/// ```swift
/// let network = try FixedOrderNetwork(spec: model.spec, flatParameters: model.flatParameters)
/// let prediction = try network.predictions(for: rows, count: 2)   // rows: 2 × network.inputWidth scalars
/// let digest = SHA256.hash(data: prediction.canonicalBytes)
/// ```
///
/// **Determinism.** For the same spec, parameters and input, ``logits(_:count:)`` returns the same bits on every
/// CPU, including the bits of a NaN (every NaN is written as `Float.nan`, 0x7FC00000), in the default
/// floating-point environment (round to nearest, subnormals kept). A row's outputs do not depend on the other
/// rows of the batch.
public struct FixedOrderNetwork: Sendable {
    /// The loss the model was trained with: it says how outputs become classes and probabilities.
    public let loss: ModelSpec.Loss
    /// Scalars per input row: the product of the spec's input shape.
    public let inputWidth: Int
    /// Scalars per output row (the logits of one sample).
    public let outputWidth: Int
    /// About how many multiply-adds one row costs (a server decides from it where to run an answer).
    public var multiplyAddsPerRow: Int { self.steps.reduce(0) { $0 + $1.work } }
    /// The layers that compute something, in order.
    let steps: [FixedOrderStep]
    /// The most scalars per sample any step writes.
    private let widestStep: Int

    /// The network of `spec` with the parameters of `flatParameters`.
    /// - Parameters:
    ///   - spec: the architecture.
    ///   - flatParameters: every parameter in the order of ``Model/flatParameters`` (layer by layer, each layer's
    ///     weight then bias, row-major in PyTorch's layouts).
    /// - Throws: the ``LearningError`` of ``ModelSpec/makeNetwork()`` for a spec whose layers do not fit;
    ///   ``LearningError/parameterCountMismatch(expected:actual:)`` when `flatParameters` has the wrong length;
    ///   ``LearningError/unsupportedLayer(index:type:)`` for a layer this path does not implement.
    /// - Complexity: O(parameter count).
    public init(spec: ModelSpec, flatParameters: [Float]) throws {
        let network = try spec.makeNetwork()
        let shapes = try network.shapes(inputShape: spec.inputShape)
        let expected = try network.parameterShapes(inputShape: spec.inputShape).reduce(0) { $0 + $1.reduce(1, *) }
        guard flatParameters.count == expected else {
            throw LearningError.parameterCountMismatch(expected: expected, actual: flatParameters.count)
        }
        var parameters = flatParameters[...]
        func take(_ count: Int) -> ArraySlice<Float> {
            defer { parameters = parameters.dropFirst(count) }
            return parameters.prefix(count)
        }
        var steps: [FixedOrderStep] = []
        for (index, layer) in network.layers.enumerated() {
            let (input, output) = (shapes[index], shapes[index + 1])
            let inputWidth = input.reduce(1, *)
            switch layer {
            case let dense as Dense:
                steps.append(.dense(FixedOrderDense(weight: take(dense.outputs * inputWidth), bias: take(dense.outputs),
                                                    inputs: inputWidth, outputs: dense.outputs)))
            case let convolution as Conv1D:
                let geometry = ConvolutionGeometry(
                    batch: 1, channels: input[0], height: 1, width: input[1], filters: convolution.filters,
                    kernel: (1, convolution.kernel), stride: (1, convolution.stride), padding: (0, convolution.padding))
                steps.append(.convolution(Self.convolution(geometry, take)))
            case let convolution as Conv2D:
                let geometry = ConvolutionGeometry(
                    batch: 1, channels: input[0], height: input[1], width: input[2], filters: convolution.filters,
                    kernel: convolution.kernel, stride: convolution.stride, padding: convolution.padding)
                steps.append(.convolution(Self.convolution(geometry, take)))
            case let pool as Pool:
                steps.append(.pool(FixedOrderPool(
                    kind: pool.kind, planes: input[0], height: input.count == 3 ? input[1] : 1,
                    width: input[input.count - 1], kernel: pool.kernel, stride: pool.stride)))
            case let norm as LayerNorm:
                let width = input[input.count - 1]
                steps.append(.layerNorm(FixedOrderLayerNorm(
                    width: width, sampleWidth: inputWidth, gamma: Array(take(width)), beta: Array(take(width)),
                    epsilon: norm.epsilon)))
            case let activation as ActivationLayer:
                steps.append(.activation(activation.function, width: inputWidth))
            case is Flatten, is Reshape, is Dropout:
                continue
            default:
                throw LearningError.unsupportedLayer(index: index, type: spec.layers[index].type)
            }
            // The scratch buffers are sized from these widths: a mismatch would write out of bounds.
            precondition(steps.last?.outputWidth == output.reduce(1, *), "FixedOrderNetwork: layer \(index)'s shape")
        }
        self.loss = spec.loss
        self.inputWidth = spec.inputShape.reduce(1, *)
        self.outputWidth = shapes[shapes.count - 1].reduce(1, *)
        self.steps = steps
        self.widestStep = steps.map(\.outputWidth).max() ?? 0
    }

    /// A convolution step of `geometry` whose weight and bias come next in the parameters.
    private static func convolution(_ geometry: ConvolutionGeometry, _ take: (Int) -> ArraySlice<Float>)
        -> FixedOrderConvolution
    {
        FixedOrderConvolution(geometry: geometry, weight: take(geometry.filters * geometry.patch),
                              bias: take(geometry.filters))
    }

    /// The outputs (logits for classification) of `count` samples.
    ///
    /// Samples go through the layers in chunks whose intermediate values fit in ``chunkScalars`` scalars, so the
    /// memory a call takes besides its input and output stays bounded (and mostly in cache); a sample's bits do
    /// not depend on the chunk it is in.
    /// - Parameters:
    ///   - rows: `count` · ``inputWidth`` scalars, sample after sample, each in the row-major order of the spec's
    ///     input shape (channels, then height, then width).
    ///   - count: the number of samples.
    /// - Returns: `count` · ``outputWidth`` scalars, sample after sample; every NaN as `Float.nan`.
    /// - Throws: ``LearningError/shapeMismatch(operation:expected:actual:)`` when `rows` does not hold `count` rows.
    /// - Complexity: O(count · multiply-adds per sample); one thread; a few allocations per call.
    public func logits(_ rows: [Float], count: Int) throws(LearningError) -> [Float] {
        let (scalars, inputOverflow) = count.multipliedReportingOverflow(by: self.inputWidth)
        let (outputCount, outputOverflow) = count.multipliedReportingOverflow(by: self.outputWidth)
        guard count >= 0, !inputOverflow, !outputOverflow, rows.count == scalars else {
            throw LearningError.shapeMismatch(
                operation: "fixed-order network input", expected: [count, self.inputWidth], actual: [rows.count])
        }
        guard count > 0 else { return [] }
        guard !self.steps.isEmpty else { return rows.map { $0.isNaN ? .nan : $0 } }
        let chunk = min(count, max(1, Self.chunkScalars / self.widestStep))
        return [Float](unsafeUninitializedCapacity: outputCount) { result, initialized in
            rows.withUnsafeBufferPointer { rows in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * chunk * self.widestStep) { scratch in
                    for first in stride(from: 0, to: count, by: chunk) {
                        self.run(rows.baseAddress! + first * self.inputWidth, count: min(chunk, count - first),
                                 scratch: scratch.baseAddress!, half: chunk * self.widestStep,
                                 into: result.baseAddress! + first * self.outputWidth)
                    }
                }
            }
            for index in 0..<outputCount where result[index].isNaN { result[index] = .nan }
            initialized = outputCount
        }
    }

    /// The most intermediate scalars of a chunk of samples in ``logits(_:count:)`` (per scratch half): 128 KiB.
    static let chunkScalars = 1 << 15

    /// Runs every step on `count` samples, alternating between the two halves of `scratch` (`half` scalars each),
    /// the last step writing into `result`.
    private func run(_ input: UnsafePointer<Float>, count: Int, scratch: UnsafeMutablePointer<Float>, half: Int,
                     into result: UnsafeMutablePointer<Float>) {
        var source = input
        for (index, step) in self.steps.enumerated() {
            let target = index == self.steps.count - 1 ? result : scratch + (index % 2) * half
            step.apply(source, count: count, into: target)
            source = UnsafePointer(target)
        }
    }

    /// The classes and probabilities of `count` samples: ``logits(_:count:)`` then
    /// ``FixedOrderPrediction/init(logits:outputWidth:loss:)``.
    /// - Throws: what those two throw: a wrong input size, or a model that is not a classifier.
    /// - Complexity: that of ``logits(_:count:)``.
    public func predictions(for rows: [Float], count: Int) throws(LearningError) -> FixedOrderPrediction {
        try FixedOrderPrediction(logits: try self.logits(rows, count: count), outputWidth: self.outputWidth,
                                 loss: self.loss)
    }
}
