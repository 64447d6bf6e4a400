// Per-example gradient norms and per-example gradient scales: what DP-SGD needs from the tape.

import Foundation

/// The squared norms of each example's gradient over every parameter, accumulated by a backward pass on a tape
/// whose ``Tape/exampleNorms`` is set, and the parameter gradients that pass leaves to be formed once each
/// example's scale (its clipping factor) is known.
///
/// The layers with parameters add their part without forming per-example gradients where they can: a dense
/// layer's weight gradient for example i is δᵢ xᵢᵀ, whose squared norm is ‖δᵢ‖² ‖xᵢ‖²; a convolution's is the
/// product of the example's own output gradient and patches; a layer norm's is summed over the example's rows.
/// ``coveredParameters`` counts the parameter tensors that reported, so a trainer can refuse a model with a
/// parameter whose per-example gradient nobody measured (its norm would be understated, and privacy lost).
///
/// The pass forms no parameter gradient. Each layer leaves a closure instead that forms them from its own
/// per-example output gradients, example i's multiplied by a scale cᵢ: Σᵢ cᵢ δᵢ xᵢᵀ = (c ∘ Δ)ᵀ X for a dense
/// layer. The errors δᵢ do not depend on the scales, so ``scaledParameterGradients(_:)`` gives the clipped sum of
/// gradients without a second backward pass (the "book-keeping" of Bu, Mao and Xu, 2022).
public final class ExampleNorms {
    /// Per example, the squared norm of its gradient so far.
    public private(set) var squared: [Double]
    /// How many parameter tensors added their part.
    public private(set) var coveredParameters = 0

    /// Norms of `examples` examples, all zero.
    public init(examples: Int) {
        self.squared = Array(repeating: 0, count: examples)
    }

    /// The tape inputs of the entry whose backward closure is running (the tape sets it).
    var currentInputs: [Int] = []
    /// Per tape entry, its inputs and what forms their gradients from per-example scales, in the pass's order.
    private var deferred: [(inputs: [Int], gradients: ([Float]) throws -> [Int: Tensor])] = []

    /// Leaves the running entry's parameter gradients to be formed from per-example scales: `gradients(scales)`
    /// gives each input's by its index among the entry's inputs.
    func deferParameterGradients(_ gradients: @escaping ([Float]) throws -> [Int: Tensor]) {
        self.deferred.append((self.currentInputs, gradients))
    }

    /// Every parameter's gradient with example i's part multiplied by `scales[i]`, by tape variable, summed in the
    /// order of the pass (a parameter used twice gets both parts).
    func scaledParameterGradients(_ scales: [Float]) throws -> [Int: Tensor] {
        var result: [Int: Tensor] = [:]
        for (inputs, gradients) in self.deferred {
            for (index, gradient) in try gradients(scales).sorted(by: { $0.key < $1.key }) {
                let id = inputs[index]
                if result[id] == nil { result[id] = gradient } else { try result[id]?.add(gradient) }
            }
        }
        return result
    }

    /// Adds `parameters` parameter tensors' parts, `part(i)` for example i.
    func add(parameters: Int, _ part: (Int) -> Double) {
        for example in self.squared.indices { self.squared[example] += part(example) }
        self.coveredParameters += parameters
    }

    /// Σ x² over `count` scalars from `start`.
    static func sumOfSquares(_ scalars: UnsafeBufferPointer<Float>, from start: Int, count: Int) -> Double {
        var sum = 0.0
        for index in start..<start + count { sum += Double(scalars[index]) * Double(scalars[index]) }
        return sum
    }
}

extension Tensor {
    /// This tensor with example i's slice of the leading axis multiplied by `scales[i]` (the leading axis holds
    /// `scales.count` examples, each of one or more rows).
    func scalingExamples(by scales: [Float]) -> Tensor {
        let perExample = self.scalarCount / max(scales.count, 1)
        return self.withUnsafeScalars { values in
            Tensor(shape: self.shape) { out in
                for (example, scale) in scales.enumerated() {
                    for index in example * perExample ..< (example + 1) * perExample { out[index] = values[index] * scale }
                }
            }
        }
    }
}

extension ExampleNorms {
    /// A dense layer's part: ‖δᵢ‖² ‖xᵢ‖² for the weight and ‖δᵢ‖² for the bias (each when it is a parameter), x
    /// `[batch, in]`, δ `[batch, out]`.
    func addDense(input x: Tensor, gradient: Tensor, weight: Bool, bias: Bool) {
        let (inputs, outputs) = (x.shape[1], gradient.shape[1])
        x.withUnsafeScalars { x in
            gradient.withUnsafeScalars { dy in
                self.add(parameters: (weight ? 1 : 0) + (bias ? 1 : 0)) { example in
                    let delta = Self.sumOfSquares(dy, from: example * outputs, count: outputs)
                    let input = weight ? Self.sumOfSquares(x, from: example * inputs, count: inputs) : 0
                    return delta * (input + (bias ? 1 : 0))
                }
            }
        }
    }

    /// A convolution's part: for each example, ‖Dᵢ Cᵢᵀ‖² + Σ_f (Σ_p Dᵢ[f, p])², where Dᵢ `[filters, positions]` is
    /// its output gradient and Cᵢ `[patch, positions]` its patches (its block of `columns`). The product reads both
    /// in place (Cᵢᵀ as a strided view) into one scratch matrix.
    func addConvolution(gradient: Tensor, columns: Tensor, geometry g: ConvolutionGeometry, weight: Bool, bias: Bool) {
        let (filters, positions, patch) = (g.filters, g.positions, g.patch)
        var product = [Float](repeating: 0, count: filters * patch)
        gradient.withUnsafeScalars { dy in
            columns.withUnsafeScalars { cols in
                product.withUnsafeMutableBufferPointer { product in
                    guard let dyBase = dy.baseAddress, let columnsBase = cols.baseAddress,
                        let productBase = product.baseAddress
                    else { return }
                    self.add(parameters: (weight ? 1 : 0) + (bias ? 1 : 0)) { example in
                        let outputGradient = dyBase + example * filters * positions
                        var squared = 0.0
                        if weight {
                            MatrixMultiply.multiply(
                                MatrixView(base: outputGradient, rows: filters, columns: positions, rowStride: positions,
                                           columnStride: 1),
                                MatrixView(base: columnsBase + example * positions, rows: positions, columns: patch,
                                           rowStride: 1, columnStride: g.batch * positions),
                                into: productBase, ldc: patch, accumulate: false)
                            squared += Self.sumOfSquares(UnsafeBufferPointer(product), from: 0, count: product.count)
                        }
                        if bias {
                            for filter in 0..<filters {
                                var sum = 0.0
                                for p in 0..<positions { sum += Double(outputGradient[filter * positions + p]) }
                                squared += sum * sum
                            }
                        }
                        return squared
                    }
                }
            }
        }
    }

    /// A layer norm's part: Σ_j (Σ_rows δ x̂)² + (Σ_rows δ)² over the example's rows, `normalized` being x̂.
    func addLayerNorm(gradient: Tensor, normalized: [Float], width: Int) {
        let examples = self.squared.count
        let rowsPerExample = gradient.scalarCount / max(width * examples, 1)
        gradient.withUnsafeScalars { dy in
            self.add(parameters: 2) { example in
                var gamma = [Double](repeating: 0, count: width)
                var beta = [Double](repeating: 0, count: width)
                for row in example * rowsPerExample ..< (example + 1) * rowsPerExample {
                    for j in 0..<width {
                        gamma[j] += Double(dy[row * width + j]) * Double(normalized[row * width + j])
                        beta[j] += Double(dy[row * width + j])
                    }
                }
                return zip(gamma, beta).reduce(0) { $0 + $1.0 * $1.0 + $1.1 * $1.1 }
            }
        }
    }
}
