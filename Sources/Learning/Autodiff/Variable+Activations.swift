// Variable+Activations: differentiable elementwise nonlinearities.

import CLearningKernels
import Foundation

extension Variable {
    /// Records an elementwise function given its value and its derivative (from input x and output y).
    private func elementwise(_ function: (Float) -> Float,
                             derivative: @escaping @Sendable (_ x: Float, _ y: Float) -> Float) -> Variable {
        let input = self.value
        let output = input.map(function)
        return self.tape.record(output, inputs: [self]) { gradient, _ in
            let result = gradient.withUnsafeScalars { g in
                input.withUnsafeScalars { x in
                    output.withUnsafeScalars { y in
                        Tensor(shape: input.shape) { out in
                            for index in 0..<out.count { out[index] = g[index] * derivative(x[index], y[index]) }
                        }
                    }
                }
            }
            return [result]
        }
    }

    /// max(0, x); the derivative at 0 is taken as 0, as in PyTorch.
    /// - Complexity: O(n).
    public func relu() -> Variable {
        let input = self.value
        let output = input.withUnsafeScalars { x in
            Tensor(shape: input.shape) { out in deai_relu_forward(x.baseAddress, out.baseAddress, x.count) }
        }
        return self.tape.record(output, inputs: [self]) { gradient, _ in
            [gradient.withUnsafeScalars { g in
                output.withUnsafeScalars { y in
                    Tensor(shape: input.shape) { dx in deai_relu_backward(g.baseAddress, y.baseAddress, dx.baseAddress, g.count) }
                }
            }]
        }
    }

    /// The exact GELU, x·Φ(x) with Φ the standard normal CDF (PyTorch's default `nn.GELU()`).
    /// - Complexity: O(n).
    public func gelu() -> Variable {
        self.elementwise({ 0.5 * $0 * (1 + erf($0 / 2.0.squareRoot().float)) }, derivative: { x, _ in
            let cdf = 0.5 * (1 + erf(x / 2.0.squareRoot().float))
            let density = Foundation.exp(-0.5 * x * x) / (2 * Float.pi).squareRoot()
            return cdf + x * density
        })
    }

    /// The hyperbolic tangent; derivative 1 − y².
    public func tanh() -> Variable {
        self.elementwise({ Foundation.tanh($0) }, derivative: { _, y in 1 - y * y })
    }

    /// The logistic function 1 / (1 + e^−x); derivative y(1 − y).
    public func sigmoid() -> Variable {
        self.elementwise({ Activation.sigmoid($0) }, derivative: { _, y in y * (1 - y) })
    }
}

extension Double {
    /// This value as a Float.
    var float: Float { Float(self) }
}

/// Scalar activation functions shared by the differentiable ops and inference code.
enum Activation {
    /// The logistic function, computed without overflow for large |x|.
    static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
    }
}
