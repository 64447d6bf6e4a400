// Finite-difference checks of every differentiable operation's backward pass.
//
// Tolerance: the forward passes run in Float32. With step h = 1e-2 on inputs of order 1, the central difference
// has truncation error O(h²·f''') ≈ 1e-4 and rounding error ≈ ε_f32·|loss|/h ≈ 1e-7·10/1e-2 = 1e-4, so
// |numeric − analytic| ≤ 1e-2·max(1, |analytic|) is sound and still catches any wrong formula.
// Inputs of kinked functions (ReLU, max pooling) are kept further than h from the kinks.

import Learning
import Testing

/// Checks the gradients of `Σ op(inputs) ⊙ R` (R a fixed random tensor) against central differences.
private func checkGradients(_ inputs: [Tensor], sourceLocation: SourceLocation = #_sourceLocation,
                            _ op: ([Variable]) throws -> Variable) throws {
    func loss(_ values: [Tensor]) throws -> (Variable, [Variable], Tape) {
        let tape = Tape()
        let variables = values.map { tape.parameter($0) }
        let output = try op(variables)
        let weights = tape.constant(try randomTensor(output.shape, seed: 99))
        return (try (output * weights).sum(), variables, tape)
    }
    let (total, variables, tape) = try loss(inputs)
    let gradients = try tape.gradients(of: total)
    let h: Float = 1e-2
    for (which, input) in inputs.enumerated() {
        let analytic = try #require(gradients[variables[which]], sourceLocation: sourceLocation).scalars
        let stride = max(1, input.scalarCount / 40)  // at most ~40 probes per input
        for index in Swift.stride(from: 0, to: input.scalarCount, by: stride) {
            var plus = inputs
            var minus = inputs
            plus[which].withUnsafeMutableScalars { $0[index] += h }
            minus[which].withUnsafeMutableScalars { $0[index] -= h }
            let up = Double(try loss(plus).0.value.scalar ?? 0)
            let down = Double(try loss(minus).0.value.scalar ?? 0)
            let numeric = (up - down) / Double(2 * h)
            let tolerance = 1e-2 * max(1, abs(numeric))
            #expect(abs(numeric - Double(analytic[index])) <= tolerance,
                    "input \(which) element \(index): numeric \(numeric), analytic \(analytic[index])",
                    sourceLocation: sourceLocation)
        }
    }
}

/// Values whose magnitudes stay at least 0.1 from zero (for ReLU).
private func awayFromZero(_ shape: [Int], seed: UInt64) throws -> Tensor {
    try randomTensor(shape, seed: seed).map { $0 >= 0 ? $0 + 0.1 : $0 - 0.1 }
}

/// Distinct values 0.05 apart, shuffled (for max pooling).
private func distinct(_ shape: [Int], seed: UInt64) throws -> Tensor {
    var generator = Xoshiro256(seed: seed)
    let count = shape.reduce(1, *)
    var values = (0..<count).map { Float($0) * 0.05 - Float(count) * 0.025 }
    values.shuffle(using: &generator)
    return try Tensor(shape: shape, scalars: values)
}

@Suite("Gradient checks")
struct GradientCheckTests {
    @Test("add, subtract, multiply, divide with broadcasting")
    func arithmetic() throws {
        let a = try randomTensor([3, 4], seed: 1)
        let b = try randomTensor([4], seed: 2)
        let positive = try randomTensor([3, 1], seed: 3).map { abs($0) + 0.5 }
        try checkGradients([a, b]) { try $0[0] + $0[1] }
        try checkGradients([a, b]) { try $0[0] - $0[1] }
        try checkGradients([a, b]) { try $0[0] * $0[1] }
        try checkGradients([a, positive]) { try $0[0] / $0[1] }
        try checkGradients([a]) { $0[0].scaled(by: -2.5) }
    }

    @Test("matmul, reshape, flatten, sum, mean")
    func linearAlgebra() throws {
        try checkGradients([try randomTensor([5, 7], seed: 4), try randomTensor([7, 3], seed: 5)]) {
            try $0[0].matmul($0[1])
        }
        try checkGradients([try randomTensor([2, 3, 4], seed: 6)]) { try $0[0].reshaped([6, 4]) }
        try checkGradients([try randomTensor([2, 3, 4], seed: 6)]) { try $0[0].flattened() }
        try checkGradients([try randomTensor([2, 3], seed: 7)]) { $0[0].sum() }
        try checkGradients([try randomTensor([2, 3], seed: 7)]) { $0[0].mean() }
    }

    @Test("exp, log and the activations")
    func elementwise() throws {
        let x = try randomTensor([4, 5], seed: 8)
        try checkGradients([x]) { $0[0].exp() }
        try checkGradients([x.map { abs($0) + 0.5 }]) { $0[0].log() }
        try checkGradients([try awayFromZero([4, 5], seed: 9)]) { $0[0].relu() }
        try checkGradients([x]) { $0[0].gelu() }
        try checkGradients([x]) { $0[0].tanh() }
        try checkGradients([x]) { $0[0].sigmoid() }
    }

    @Test("softmax, log-softmax and the losses")
    func lossesAndSoftmax() throws {
        let x = try randomTensor([4, 3], seed: 10, scale: 2)
        try checkGradients([x]) { $0[0].softmax() }
        try checkGradients([x]) { $0[0].logSoftmax() }
        try checkGradients([x]) { try $0[0].crossEntropy(labels: [0, 2, 1, 2]) }
        try checkGradients([x]) { try $0[0].binaryCrossEntropy(targets: [0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0]) }
        try checkGradients([x]) { try $0[0].meanSquaredError(try randomTensor([4, 3], seed: 11)) }
    }

    @Test("dense layer: input, weight and bias")
    func dense() throws {
        try checkGradients([try randomTensor([4, 6], seed: 12), try randomTensor([3, 6], seed: 13),
                            try randomTensor([3], seed: 14)]) {
            try $0[0].dense($0[1], bias: $0[2])
        }
    }

    @Test("1-D and 2-D convolutions with stride and padding")
    func convolutions() throws {
        try checkGradients([try randomTensor([2, 3, 11], seed: 15), try randomTensor([4, 3, 3], seed: 16),
                            try randomTensor([4], seed: 17)]) {
            try $0[0].conv1d($0[1], bias: $0[2], stride: 2, padding: 1)
        }
        try checkGradients([try randomTensor([2, 2, 6, 5], seed: 18), try randomTensor([3, 2, 3, 2], seed: 19),
                            try randomTensor([3], seed: 20)]) {
            try $0[0].conv2d($0[1], bias: $0[2], stride: (2, 1), padding: (1, 1))
        }
    }

    @Test("max and average pooling")
    func pooling() throws {
        try checkGradients([try distinct([2, 2, 6, 6], seed: 21)]) {
            try $0[0].pool(kernel: (2, 2), stride: (2, 2), average: false)
        }
        try checkGradients([try randomTensor([2, 2, 6, 6], seed: 22)]) {
            try $0[0].pool(kernel: (3, 2), stride: (1, 2), average: true)
        }
        try checkGradients([try distinct([2, 3, 8], seed: 23)]) {
            try $0[0].pool(kernel: (1, 2), stride: (1, 2), average: false)
        }
    }

    @Test("layer normalization: input, gain and bias")
    func layerNorm() throws {
        try checkGradients([try randomTensor([3, 5], seed: 24), try randomTensor([5], seed: 25),
                            try randomTensor([5], seed: 26)]) {
            try $0[0].layerNorm(weight: $0[1], bias: $0[2])
        }
    }

    @Test("dropout scales kept values and routes gradients through the same mask")
    func dropout() throws {
        let x = try randomTensor([6, 8], seed: 27)
        try checkGradients([x]) { inputs in
            var generator = Xoshiro256(seed: 5)
            return try inputs[0].dropout(rate: 0.3, using: &generator)
        }
        let tape = Tape()
        var generator = Xoshiro256(seed: 5)
        let y = try tape.constant(Tensor(repeating: 1, shape: [1000])).dropout(rate: 0.25, using: &generator).value
        let kept = y.scalars.filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 1 / 0.75) < 1e-6 })
        #expect(abs(Double(kept.count) / 1000 - 0.75) < 0.05)
    }
}
