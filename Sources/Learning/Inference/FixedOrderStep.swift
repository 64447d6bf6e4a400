// FixedOrderStep: one layer of a FixedOrderNetwork, and the plain scalar kernels of the small layers.

/// One layer of a ``FixedOrderNetwork`` that computes something (flatten, reshape and dropout, which do not
/// change the row-major scalars at inference, have no step).
enum FixedOrderStep: Sendable {
    /// A dense layer.
    case dense(FixedOrderDense)
    /// A 1-D or 2-D convolution.
    case convolution(FixedOrderConvolution)
    /// Max or average pooling.
    case pool(FixedOrderPool)
    /// Layer normalization.
    case layerNorm(FixedOrderLayerNorm)
    /// An elementwise activation over `width` scalars per sample.
    case activation(ActivationLayer.Function, width: Int)

    /// Scalars per sample the step writes.
    var outputWidth: Int {
        switch self {
        case .dense(let layer): layer.outputs
        case .convolution(let layer): layer.outputWidth
        case .pool(let layer): layer.planes * layer.outputHeight * layer.outputWidth
        case .layerNorm(let layer): layer.sampleWidth
        case .activation(_, let width): width
        }
    }

    /// About how many multiply-adds (or other scalar operations) the step costs per sample.
    var work: Int {
        switch self {
        case .dense(let layer): layer.inputs * layer.outputs
        case .convolution(let layer): layer.outputWidth * layer.geometry.patch
        case .pool, .layerNorm, .activation: self.outputWidth
        }
    }

    /// Applies the step to `count` samples.
    func apply(_ input: UnsafePointer<Float>, count: Int, into output: UnsafeMutablePointer<Float>) {
        switch self {
        case .dense(let layer):
            layer.apply(input, rows: count, into: output, rowStride: layer.outputs, columnStride: 1)
        case .convolution(let layer):
            layer.apply(input, count: count, into: output)
        case .pool(let layer):
            layer.apply(input, count: count, into: output)
        case .layerNorm(let layer):
            layer.apply(input, count: count, into: output)
        case .activation(let function, let width):
            Self.activate(function, input, count: count * width, into: output)
        }
    }

    /// relu (x > 0 ? x : 0, so NaN becomes 0, as ``ActivationLayer``), the exact GELU ½·x·(1 + erf(x/√2)),
    /// tanh and sigmoid from ``FixedOrderMath``.
    private static func activate(_ function: ActivationLayer.Function, _ x: UnsafePointer<Float>, count: Int,
                                 into y: UnsafeMutablePointer<Float>) {
        switch function {
        case .relu:
            for index in 0..<count { y[index] = x[index] > 0 ? x[index] : 0 }
        case .gelu:
            let squareRootOfTwo: Float = 0x1.6a09e6p+0  // √2 rounded to Float, as the training path divides by
            for index in 0..<count {
                y[index] = 0.5 * x[index] * (1 + FixedOrderMath.erf(x[index] / squareRootOfTwo))
            }
        case .tanh:
            for index in 0..<count { y[index] = FixedOrderMath.tanh(x[index]) }
        case .sigmoid:
            for index in 0..<count { y[index] = FixedOrderMath.sigmoid(x[index]) }
        }
    }
}

/// Max or average pooling without padding over `[planes, height, width]` per sample, as ``Pool``: the maximum is
/// the first largest value in row-major window order (NaN never wins against an earlier value); the average is
/// the window's values summed in that order from 0, times 1/(kh·kw).
struct FixedOrderPool: Sendable {
    /// Max or average.
    let kind: Pool.Kind
    /// Planes (channels) per sample; height (1 for 1-D) and width of each.
    let planes: Int
    let height: Int
    let width: Int
    /// Window and stride, height then width.
    let kernel: (height: Int, width: Int)
    let stride: (height: Int, width: Int)

    var outputHeight: Int { (self.height - self.kernel.height) / self.stride.height + 1 }
    var outputWidth: Int { (self.width - self.kernel.width) / self.stride.width + 1 }

    /// Pools `count` samples.
    /// - Complexity: O(count · planes · outputHeight · outputWidth · kh · kw).
    func apply(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {
        let scale = 1 / Float(self.kernel.height * self.kernel.width)
        var position = 0
        for plane in 0..<(count * self.planes) {
            let base = plane * self.height * self.width
            for outputRow in 0..<self.outputHeight {
                for outputColumn in 0..<self.outputWidth {
                    let corner = base + outputRow * self.stride.height * self.width + outputColumn * self.stride.width
                    var best = x[corner]
                    var total: Float = 0
                    for kernelRow in 0..<self.kernel.height {
                        for kernelColumn in 0..<self.kernel.width {
                            let value = x[corner + kernelRow * self.width + kernelColumn]
                            if value > best { best = value }
                            total += value
                        }
                    }
                    y[position] = self.kind == .max ? best : total * scale
                    position += 1
                }
            }
        }
    }
}

/// Layer normalization over the last axis, as ``LayerNorm``: for each run of `width` scalars, the mean (sum in
/// order, ÷ width), the variance (sum of squared deviations in order, ÷ width), then
/// (x − mean) · (1 / √(variance + ε)) · γ + β.
struct FixedOrderLayerNorm: Sendable {
    /// The extent of the last axis.
    let width: Int
    /// Scalars per sample (a multiple of `width`).
    let sampleWidth: Int
    /// γ and β, `width` each.
    let gamma: [Float]
    let beta: [Float]
    /// The ε added to the variance.
    let epsilon: Float

    /// Normalizes `count` samples.
    /// - Complexity: O(count · sampleWidth).
    func apply(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {
        let n = Float(self.width)
        for run in 0..<(count * self.sampleWidth / self.width) {
            let base = run * self.width
            var mean: Float = 0
            for i in 0..<self.width { mean += x[base + i] }
            mean /= n
            var variance: Float = 0
            for i in 0..<self.width { variance += (x[base + i] - mean) * (x[base + i] - mean) }
            let inverse = 1 / (variance / n + self.epsilon).squareRoot()
            for i in 0..<self.width { y[base + i] = (x[base + i] - mean) * inverse * self.gamma[i] + self.beta[i] }
        }
    }
}
