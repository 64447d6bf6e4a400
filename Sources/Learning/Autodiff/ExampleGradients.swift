// Per-example gradient norms and per-example gradient scales: what DP-SGD needs from the tape.

import Foundation

/// The squared norms of each example's gradient over every parameter, accumulated by a backward pass on a tape
/// whose ``Tape/exampleNorms`` is set.
///
/// The layers with parameters add their part without forming per-example gradients where they can: a dense
/// layer's weight gradient for example i is δᵢ xᵢᵀ, whose squared norm is ‖δᵢ‖² ‖xᵢ‖²; a convolution's is the
/// product of the example's own output gradient and patches; a layer norm's is summed over the example's rows.
/// ``coveredParameters`` counts the parameter tensors that reported, so a trainer can refuse a model with a
/// parameter whose per-example gradient nobody measured (its norm would be understated, and privacy lost).
public final class ExampleNorms {
    /// Per example, the squared norm of its gradient so far.
    public private(set) var squared: [Double]
    /// How many parameter tensors added their part.
    public private(set) var coveredParameters = 0

    /// Norms of `examples` examples, all zero.
    public init(examples: Int) {
        self.squared = Array(repeating: 0, count: examples)
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

/// A scale per example that multiplies the gradient flowing back through ``Variable/scalingExampleGradients(by:)``:
/// DP-SGD sets it to each example's clipping factor between its two backward passes.
public final class ExampleScales {
    /// The scale of each example (1 until set).
    public var values: [Float]

    /// Scales of 1 for `examples` examples.
    public init(examples: Int) {
        self.values = Array(repeating: 1, count: examples)
    }
}

extension Variable {
    /// The same value; the gradient flowing back is multiplied by `scales.values[i]` on example i's slice of the
    /// leading axis, with the scales as they are when the backward pass runs.
    /// - Throws: ``LearningError/shapeMismatch(operation:expected:actual:)`` when the leading axis is not the
    ///   scales' example count.
    public func scalingExampleGradients(by scales: ExampleScales) throws -> Variable {
        let shape = self.shape
        guard shape.first == scales.values.count else {
            throw LearningError.shapeMismatch(operation: "scalingExampleGradients", expected: [scales.values.count],
                                              actual: shape)
        }
        let perExample = shape.dropFirst().reduce(1, *)
        return self.tape.record(self.value, inputs: [self]) { gradient, _ in
            let factors = scales.values
            let scaled = gradient.withUnsafeScalars { dy in
                Tensor(shape: shape) { out in
                    for index in 0..<out.count { out[index] = dy[index] * factors[index / max(perExample, 1)] }
                }
            }
            return [scaled]
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
    /// its output gradient and Cᵢ `[patch, positions]` its patches (its block of `columns`).
    func addConvolution(gradient: Tensor, columns: Tensor, geometry g: ConvolutionGeometry, weight: Bool, bias: Bool) {
        let (filters, positions, patch) = (g.filters, g.positions, g.patch)
        let columnsWidth = g.batch * positions
        gradient.withUnsafeScalars { dy in
            columns.withUnsafeScalars { cols in
                self.add(parameters: (weight ? 1 : 0) + (bias ? 1 : 0)) { example in
                    let outputGradient = Tensor(uncheckedShape: [filters, positions],
                                                scalars: Array(dy[example * filters * positions ..< (example + 1) * filters * positions]))
                    var squared = 0.0
                    if weight {
                        // Row k of the example's patches is a contiguous run of `columns`' row k.
                        let patches = Tensor(shape: [patch, positions]) { out in
                            for k in 0..<patch {
                                let source = UnsafeBufferPointer(rebasing: cols[k * columnsWidth + example * positions ..< k * columnsWidth + (example + 1) * positions])
                                _ = UnsafeMutableBufferPointer(rebasing: out[k * positions ..< (k + 1) * positions]).initialize(fromContentsOf: source)
                            }
                        }
                        let weightGradient = Tensor.product(outputGradient, patches.matrixTranspose)
                        squared += weightGradient.withUnsafeScalars { Self.sumOfSquares($0, from: 0, count: $0.count) }
                    }
                    if bias {
                        outputGradient.withUnsafeScalars { d in
                            for filter in 0..<filters {
                                var sum = 0.0
                                for p in 0..<positions { sum += Double(d[filter * positions + p]) }
                                squared += sum * sum
                            }
                        }
                    }
                    return squared
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
