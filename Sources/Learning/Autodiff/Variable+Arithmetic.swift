// Variable+Arithmetic: differentiable broadcasting arithmetic, matrix product, reshaping and reductions.

import Foundation

extension Variable {
    /// Elementwise sum with broadcasting; ∂/∂a = g summed to a's shape, likewise for b.
    public static func + (lhs: Variable, rhs: Variable) throws -> Variable {
        let value = try lhs.value + rhs.value
        let (left, right) = (lhs.shape, rhs.shape)
        return lhs.tape.record(value, inputs: [lhs, rhs]) { gradient, needs in
            [needs[0] ? try gradient.sum(toShape: left) : nil, needs[1] ? try gradient.sum(toShape: right) : nil]
        }
    }

    /// Elementwise difference with broadcasting.
    public static func - (lhs: Variable, rhs: Variable) throws -> Variable {
        let value = try lhs.value - rhs.value
        let (left, right) = (lhs.shape, rhs.shape)
        return lhs.tape.record(value, inputs: [lhs, rhs]) { gradient, needs in
            [needs[0] ? try gradient.sum(toShape: left) : nil,
             needs[1] ? try (gradient * -1).sum(toShape: right) : nil]
        }
    }

    /// Elementwise product with broadcasting; ∂/∂a = g·b, ∂/∂b = g·a (each summed to its shape).
    public static func * (lhs: Variable, rhs: Variable) throws -> Variable {
        let (a, b) = (lhs.value, rhs.value)
        let value = try a * b
        return lhs.tape.record(value, inputs: [lhs, rhs]) { gradient, needs in
            [needs[0] ? try (gradient * b).sum(toShape: a.shape) : nil,
             needs[1] ? try (gradient * a).sum(toShape: b.shape) : nil]
        }
    }

    /// Elementwise quotient with broadcasting; ∂/∂a = g/b, ∂/∂b = -g·a/b².
    public static func / (lhs: Variable, rhs: Variable) throws -> Variable {
        let (a, b) = (lhs.value, rhs.value)
        let value = try a / b
        return lhs.tape.record(value, inputs: [lhs, rhs]) { gradient, needs in
            [needs[0] ? try (gradient / b).sum(toShape: a.shape) : nil,
             needs[1] ? try (Tensor.zip(gradient, value) { $0 * $1 } / b * -1).sum(toShape: b.shape) : nil]
        }
    }

    /// Every scalar multiplied by a constant.
    public func scaled(by factor: Float) -> Variable {
        self.tape.record(self.value * factor, inputs: [self]) { gradient, _ in [gradient * factor] }
    }

    /// The matrix product of two rank-2 variables; ∂/∂A = G·Bᵀ, ∂/∂B = Aᵀ·G.
    /// - Complexity: O(m·n·k) forward and backward.
    public func matmul(_ other: Variable) throws -> Variable {
        let (a, b) = (self.value, other.value)
        let value = try a.matmul(b)
        return self.tape.record(value, inputs: [self, other]) { gradient, needs in
            [needs[0] ? Tensor.product(gradient, b.matrixTranspose) : nil,
             needs[1] ? Tensor.product(a.matrixTranspose, gradient) : nil]
        }
    }

    /// The same values with another shape.
    public func reshaped(_ shape: [Int]) throws -> Variable {
        let original = self.shape
        return self.tape.record(try self.value.reshaped(shape), inputs: [self]) { gradient, _ in
            [try gradient.reshaped(original)]
        }
    }

    /// Rank 2 `[batch, rest…]` → `[batch, product(rest)]`.
    public func flattened() throws -> Variable {
        guard self.shape.count >= 1 else {
            throw LearningError.rankMismatch(operation: "flatten", expected: 1, actual: 0)
        }
        return try self.reshaped([self.shape[0], self.shape.dropFirst().reduce(1, *)])
    }

    /// The sum of all scalars, as a one-element tensor.
    public func sum() -> Variable {
        let shape = self.shape
        return self.tape.record(Tensor(scalar: Float(self.value.sum())), inputs: [self]) { gradient, _ in
            [Tensor(repeating: gradient.scalar ?? 0, shape: shape)]
        }
    }

    /// The mean of all scalars, as a one-element tensor.
    public func mean() -> Variable {
        self.sum().scaled(by: 1 / Float(max(self.value.scalarCount, 1)))
    }

    /// Elementwise e^x.
    public func exp() -> Variable {
        let value = self.value.map { Foundation.exp($0) }
        return self.tape.record(value, inputs: [self]) { gradient, _ in [try gradient * value] }
    }

    /// Elementwise natural logarithm.
    public func log() -> Variable {
        let input = self.value
        return self.tape.record(input.map { Foundation.log($0) }, inputs: [self]) { gradient, _ in
            [try gradient / input]
        }
    }
}
