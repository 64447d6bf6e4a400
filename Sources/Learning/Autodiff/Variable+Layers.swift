// Variable+Layers: the differentiable operations behind the layers (dense, convolution, pooling, normalization).

import Foundation

extension Variable {
    /// y = x·Wᵀ + b for x `[batch, in]`, W `[out, in]` (PyTorch's layout), b `[out]`.
    ///
    /// ∂/∂x = G·W, ∂/∂W = Gᵀ·x, ∂/∂b = Σ_batch G.
    /// - Throws: ``LearningError/shapeMismatch(operation:expected:actual:)`` or a rank error.
    /// - Complexity: O(batch·in·out) forward, twice that backward.
    public func dense(_ weight: Variable, bias: Variable) throws -> Variable {
        let (x, w, b) = (self.value, weight.value, bias.value)
        guard x.rank == 2 else { throw LearningError.rankMismatch(operation: "dense", expected: 2, actual: x.rank) }
        guard w.rank == 2, w.shape[1] == x.shape[1] else {
            throw LearningError.shapeMismatch(operation: "dense weight", expected: [w.shape.first ?? 0, x.shape[1]],
                                              actual: w.shape)
        }
        guard b.shape == [w.shape[0]] else {
            throw LearningError.shapeMismatch(operation: "dense bias", expected: [w.shape[0]], actual: b.shape)
        }
        let (batch, outputs) = (x.shape[0], w.shape[0])
        let biases = b.scalars
        var output = Tensor(shape: [batch, outputs]) { out in
            for row in 0..<batch {
                for column in 0..<outputs { out[row * outputs + column] = biases[column] }
            }
        }
        output.multiplyAdd(x, w.matrixTranspose)
        return self.tape.record(output, inputs: [self, weight, bias]) { [unowned tape = self.tape] gradient, needs in
            if let norms = tape.exampleNorms {
                norms.addDense(input: x, gradient: gradient, weight: needs[1], bias: needs[2])
                norms.deferParameterGradients { scales in
                    let scaled = gradient.scalingExamples(by: scales)
                    var gradients: [Int: Tensor] = [:]
                    if needs[1] { gradients[1] = Tensor.product(scaled.matrixTranspose, x) }
                    if needs[2] { gradients[2] = try scaled.sum(alongAxis: 0) }
                    return gradients
                }
                return [needs[0] ? Tensor.product(gradient, w) : nil, nil, nil]
            }
            let biasGradient = needs[2] ? try gradient.sum(alongAxis: 0) : nil
            return [needs[0] ? Tensor.product(gradient, w) : nil,
                    needs[1] ? Tensor.product(gradient.matrixTranspose, x) : nil,
                    biasGradient]
        }
    }

    /// 2-D convolution of x `[batch, channels, height, width]` with W `[filters, channels, kh, kw]` and b
    /// `[filters]`, with stride and zero padding (PyTorch's `Conv2d` semantics: cross-correlation).
    /// - Throws: shape errors when the operands do not fit.
    /// - Complexity: O(batch·filters·channels·kh·kw·OH·OW) forward (one GEMM), twice that backward.
    public func conv2d(_ weight: Variable, bias: Variable, stride: (Int, Int), padding: (Int, Int)) throws -> Variable {
        let (x, w, b) = (self.value, weight.value, bias.value)
        guard x.rank == 4 else { throw LearningError.rankMismatch(operation: "conv2d", expected: 4, actual: x.rank) }
        guard w.rank == 4, w.shape[1] == x.shape[1] else {
            throw LearningError.shapeMismatch(operation: "conv2d weight", expected: [w.shape.first ?? 0, x.shape[1], 0, 0],
                                              actual: w.shape)
        }
        guard b.shape == [w.shape[0]] else {
            throw LearningError.shapeMismatch(operation: "conv2d bias", expected: [w.shape[0]], actual: b.shape)
        }
        let geometry = ConvolutionGeometry(batch: x.shape[0], channels: x.shape[1], height: x.shape[2],
                                           width: x.shape[3], filters: w.shape[0], kernel: (w.shape[2], w.shape[3]),
                                           stride: stride, padding: padding)
        try geometry.validate()
        let (output, columns) = Convolution.forward(input: x, weight: w, bias: b, geometry: geometry)
        return self.tape.record(output, inputs: [self, weight, bias]) { [unowned tape = self.tape] gradient, needs in
            guard let norms = tape.exampleNorms else {
                let result = Convolution.backward(gradient: gradient, columns: columns, weight: w, geometry: geometry,
                                                  needsInput: needs[0])
                return [result.input, needs[1] ? result.weight : nil, needs[2] ? result.bias : nil]
            }
            norms.addConvolution(gradient: gradient, columns: columns, geometry: geometry, weight: needs[1], bias: needs[2])
            norms.deferParameterGradients { scales in
                let result = Convolution.backward(gradient: gradient.scalingExamples(by: scales), columns: columns,
                                                  weight: w, geometry: geometry, needsInput: false)
                return [1: result.weight, 2: result.bias].filter { needs[$0.key] }.compactMapValues { $0 }
            }
            let result = Convolution.backward(gradient: gradient, columns: columns, weight: w, geometry: geometry,
                                              needsInput: needs[0], needsWeight: false)
            return [result.input, nil, nil]
        }
    }

    /// 1-D convolution of x `[batch, channels, length]` with W `[filters, channels, k]` and b `[filters]`
    /// (PyTorch's `Conv1d`): the height-1 case of ``conv2d(_:bias:stride:padding:)``.
    public func conv1d(_ weight: Variable, bias: Variable, stride: Int, padding: Int) throws -> Variable {
        let (x, w) = (self.shape, weight.shape)
        guard x.count == 3 else { throw LearningError.rankMismatch(operation: "conv1d", expected: 3, actual: x.count) }
        guard w.count == 3 else {
            throw LearningError.rankMismatch(operation: "conv1d weight", expected: 3, actual: w.count)
        }
        let output = try self.reshaped([x[0], x[1], 1, x[2]])
            .conv2d(weight.reshaped([w[0], w[1], 1, w[2]]), bias: bias, stride: (1, stride), padding: (0, padding))
        return try output.reshaped([x[0], w[0], output.shape[3]])
    }

    /// Max (or average) pooling over windows of the last two axes of `[batch, channels, height, width]`,
    /// or of the last axis of `[batch, channels, length]`.
    /// - Throws: rank or argument errors.
    /// - Complexity: O(output · window).
    public func pool(kernel: (Int, Int), stride: (Int, Int), average: Bool) throws -> Variable {
        let shape = self.shape
        guard shape.count == 3 || shape.count == 4 else {
            throw LearningError.rankMismatch(operation: "pool", expected: 4, actual: shape.count)
        }
        let height = shape.count == 4 ? shape[2] : 1
        let width = shape[shape.count - 1]
        let geometry = PoolingGeometry(planes: shape[0] * shape[1], height: height, width: width,
                                       kernelHeight: kernel.0, kernelWidth: kernel.1,
                                       strideHeight: stride.0, strideWidth: stride.1)
        guard kernel.0 > 0, kernel.1 > 0, stride.0 > 0, stride.1 > 0, kernel.0 <= height, kernel.1 <= width else {
            throw LearningError.invalidArgument(operation: "pool", reason: "window \(kernel) stride \(stride) on \(shape)")
        }
        let outputShape = shape.count == 4
            ? [shape[0], shape[1], geometry.outputHeight, geometry.outputWidth]
            : [shape[0], shape[1], geometry.outputWidth]
        if average {
            let output = Pooling.average(self.value, geometry, shape: outputShape, backward: false)
            return self.tape.record(output, inputs: [self]) { gradient, _ in
                [Pooling.average(gradient, geometry, shape: shape, backward: true)]
            }
        }
        let (output, winners) = Pooling.maxForward(self.value, geometry, outputShape: outputShape)
        return self.tape.record(output, inputs: [self]) { gradient, _ in
            [Pooling.maxBackward(gradient, winners: winners, inputShape: shape)]
        }
    }

    /// Layer normalization over the last axis: (x − μ) / √(σ² + ε) · γ + β, with γ, β of the last axis' extent.
    /// - Complexity: O(n).
    public func layerNorm(weight: Variable, bias: Variable, epsilon: Float = 1e-5) throws -> Variable {
        let x = self.value
        guard let width = x.shape.last, weight.shape == [width], bias.shape == [width] else {
            throw LearningError.shapeMismatch(operation: "layerNorm", expected: [x.shape.last ?? 0], actual: weight.shape)
        }
        let rows = x.scalarCount / max(width, 1)
        let (gamma, beta) = (weight.value.scalars, bias.value.scalars)
        var normalized = [Float](repeating: 0, count: x.scalarCount)
        var inverseDeviation = [Float](repeating: 0, count: rows)
        let output = x.withUnsafeScalars { input in
            Tensor(shape: x.shape) { out in
                for row in 0..<rows {
                    let base = row * width
                    var mean: Float = 0
                    for i in 0..<width { mean += input[base + i] }
                    mean /= Float(width)
                    var variance: Float = 0
                    for i in 0..<width { variance += (input[base + i] - mean) * (input[base + i] - mean) }
                    let inverse = 1 / (variance / Float(width) + epsilon).squareRoot()
                    inverseDeviation[row] = inverse
                    for i in 0..<width {
                        let hat = (input[base + i] - mean) * inverse
                        normalized[base + i] = hat
                        out[base + i] = hat * gamma[i] + beta[i]
                    }
                }
            }
        }
        return self.tape.record(output, inputs: [self, weight, bias]) { [unowned tape = self.tape] gradient, _ in
            let parameterGradients = { (dy: Tensor) in
                let (gamma, beta) = Self.layerNormParameterGradients(dy, normalized: normalized, width: width)
                return [1: Tensor(uncheckedShape: [width], scalars: gamma), 2: Tensor(uncheckedShape: [width], scalars: beta)]
            }
            var gradients: [Int: Tensor] = [:]
            if let norms = tape.exampleNorms {
                norms.addLayerNorm(gradient: gradient, normalized: normalized, width: width)
                norms.deferParameterGradients { scales in parameterGradients(gradient.scalingExamples(by: scales)) }
            } else {
                gradients = parameterGradients(gradient)
            }
            let inputGradient = gradient.withUnsafeScalars { dy in
                Tensor(shape: x.shape) { dx in
                    for row in 0..<rows {
                        let base = row * width
                        var meanGradient: Float = 0
                        var meanGradientHat: Float = 0
                        for i in 0..<width {
                            let g = dy[base + i] * gamma[i]
                            meanGradient += g
                            meanGradientHat += g * normalized[base + i]
                        }
                        meanGradient /= Float(width)
                        meanGradientHat /= Float(width)
                        for i in 0..<width {
                            let g = dy[base + i] * gamma[i]
                            dx[base + i] = inverseDeviation[row] * (g - meanGradient - normalized[base + i] * meanGradientHat)
                        }
                    }
                }
            }
            return [inputGradient, gradients[1], gradients[2]]
        }
    }

    /// A layer norm's ∂/∂γ = Σ_rows δ x̂ and ∂/∂β = Σ_rows δ, for output gradient `dy` and normalized input x̂.
    private static func layerNormParameterGradients(_ dy: Tensor, normalized: [Float], width: Int) -> (gamma: [Float], beta: [Float]) {
        var gamma = [Float](repeating: 0, count: width)
        var beta = [Float](repeating: 0, count: width)
        dy.withUnsafeScalars { dy in
            for row in 0..<(dy.count / max(width, 1)) {
                for i in 0..<width {
                    gamma[i] += dy[row * width + i] * normalized[row * width + i]
                    beta[i] += dy[row * width + i]
                }
            }
        }
        return (gamma, beta)
    }

    /// Inverted dropout: zeroes each scalar with probability `rate` and scales the rest by 1 / (1 − rate).
    /// - Parameter generator: the source of the mask (never global randomness).
    /// - Complexity: O(n).
    public func dropout(rate: Float, using generator: inout some RandomNumberGenerator) throws -> Variable {
        guard rate >= 0, rate < 1 else {
            throw LearningError.invalidArgument(operation: "dropout", reason: "rate \(rate) outside [0, 1)")
        }
        let keep = 1 / (1 - rate)
        let mask = Tensor(shape: self.shape) { out in
            for index in 0..<out.count { out[index] = generator.nextUnitFloat() < rate ? 0 : keep }
        }
        return self.tape.record(try self.value * mask, inputs: [self]) { gradient, _ in [try gradient * mask] }
    }
}
