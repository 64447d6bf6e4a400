// Tests of the fixed-order forward pass: agreement with Model.outputs, bits independent of threads and kernel
// variants, pinned golden bits, and its errors.

import Foundation
import Learning
import Testing

@Suite("Fixed-order network")
struct FixedOrderNetworkTests {
    /// Models covering every layer kind, by name.
    private static let specs: [String: ModelSpec] = [
        "mlp 64-128-128-10": try! .builtin("mlp", features: 64, classes: 10),
        "cnn1d (MNIST-1D)": try! .builtin("cnn1d", features: 40, classes: 10),
        "conv2d and 2-D pools": ModelSpec(inputShape: [2, 9, 9], layers: [
            LayerSpec(type: "conv2d", filters: 5, kernel: [3], padding: [1]), .activation(.relu),
            LayerSpec(type: "maxPool2d", kernel: [2]),
            LayerSpec(type: "conv2d", filters: 4, kernel: [3, 2], stride: [2, 1], padding: [0, 1]), .activation(.gelu),
            LayerSpec(type: "avgPool2d", kernel: [1, 2], stride: [1, 1]), .flatten, .dense(6),
        ]),
        "conv1d and 1-D pools": ModelSpec(inputShape: [3, 20], layers: [
            .conv1d(filters: 4, kernel: 3, stride: 1, padding: 2), .activation(.tanh),
            LayerSpec(type: "maxPool1d", kernel: [3], stride: [2]), LayerSpec(type: "layerNorm"),
            LayerSpec(type: "avgPool1d", kernel: [2]), .flatten, .dense(5),
        ]),
        "layerNorm, dropout and every activation": ModelSpec(inputShape: [12], layers: [
            .dense(16), LayerSpec(type: "layerNorm"), .activation(.gelu), .dense(16), .activation(.tanh),
            LayerSpec(type: "dropout", rate: 0.3), .dense(8), .activation(.sigmoid), .reshape([2, 4]),
            LayerSpec(type: "layerNorm"), .flatten, .dense(17), .activation(.relu), .dense(4),
        ]),
        "binary cross-entropy": ModelSpec(inputShape: [6], layers: [.dense(8), .activation(.relu), .dense(1)],
                                          loss: .binaryCrossEntropy),
    ]

    /// A seeded model of `name` and seeded inputs for `count` samples.
    private static func fixture(_ name: String, count: Int = 7) throws
        -> (model: Model, network: FixedOrderNetwork, inputs: Tensor)
    {
        let spec = try #require(Self.specs[name])
        let model = try Model(spec: spec, seed: 11)
        let network = try FixedOrderNetwork(spec: spec, flatParameters: model.flatParameters)
        return (model, network, try randomTensor([count] + spec.inputShape, seed: 5))
    }

    @Test("outputs and classes agree with Model.outputs to 1e-4", arguments: Array(Self.specs.keys).sorted())
    func agreesWithModel(name: String) throws {
        let (model, network, inputs) = try Self.fixture(name)
        let expected = try model.outputs(inputs).scalars
        let logits = try network.logits(inputs.scalars, count: 7)
        #expect(network.inputWidth == model.spec.inputShape.reduce(1, *))
        #expect(logits.count == 7 * network.outputWidth && logits.count == expected.count)
        for (actual, reference) in zip(logits, expected) {
            #expect(abs(actual - reference) <= 1e-4 * max(1, abs(reference)), "\(actual) vs \(reference)")
        }
        let prediction = try network.predictions(for: inputs.scalars, count: 7)
        #expect(prediction.classes == (try model.predictClasses(inputs)))
        if model.spec.loss == .crossEntropy {
            let softmax = Softmax.softmax(try model.outputs(inputs)).scalars
            for (actual, reference) in zip(prediction.probabilities, softmax) {
                #expect(abs(actual - reference) <= 1e-5)
            }
        }
    }

    @Test("a row's outputs are the same bits alone or in a batch", arguments: Array(Self.specs.keys).sorted())
    func rowsAreIndependent(name: String) throws {
        let (_, network, inputs) = try Self.fixture(name, count: 5)
        let batch = try network.logits(inputs.scalars, count: 5).map(\.bitPattern)
        let width = network.inputWidth
        let alone = try (0..<5).flatMap { row in
            try network.logits(Array(inputs.scalars[(row * width)..<((row + 1) * width)]), count: 1).map(\.bitPattern)
        }
        #expect(batch == alone)
    }

    @Test("the bits do not depend on the thread count or the kernel variant",
          arguments: Array(Self.specs.keys).sorted())
    func independentOfThreadsAndVariants(name: String) throws {
        let (_, network, inputs) = try Self.fixture(name, count: 64)
        let reference = try network.logits(inputs.scalars, count: 64).map(\.bitPattern)
        for variant in KernelVariant.supported {
            for threads in [1, 2, 5] {
                let bits = try Parallelism.$threadCount.withValue(threads) {
                    try KernelVariant.withVariant(variant) { try network.logits(inputs.scalars, count: 64) }
                }.map(\.bitPattern)
                #expect(bits == reference, "variant \(variant), \(threads) threads")
            }
        }
    }

    // MARK: - Golden bits

    /// A small model touching every kind of step, with weights and inputs that are exact binary fractions.
    private static func goldenNetwork() throws -> FixedOrderNetwork {
        let spec = ModelSpec(inputShape: [1, 6], layers: [
            .conv1d(filters: 2, kernel: 3, stride: 1, padding: 1), .activation(.gelu),
            LayerSpec(type: "maxPool1d", kernel: [2]), LayerSpec(type: "layerNorm"), .flatten,
            .dense(4), .activation(.tanh), .dense(4), .activation(.sigmoid), .reshape([2, 2]),
            LayerSpec(type: "avgPool1d", kernel: [2]), .flatten, .dense(3),
        ])
        let count = try Model(spec: spec, seed: 0).parameterCount
        return try FixedOrderNetwork(spec: spec, flatParameters: (0..<count).map { Float(($0 * 37) % 23 - 11) / 16 })
    }

    /// Two input rows of the golden network.
    private static let goldenInputs: [Float] = (0..<12).map { Float(($0 * 5) % 13 - 6) / 4 }

    @Test("golden bits: a change in any order of operations, on any CPU, fails here")
    func goldenBits() throws {
        let network = try Self.goldenNetwork()
        let logits = try network.logits(Self.goldenInputs, count: 2)
        #expect(logits.map(\.bitPattern) == [
            0x3AFD_9D40, 0xBE60_BB8D, 0x3E18_CE94,
            0x3C07_0570, 0xBE66_5985, 0x3E09_208D,
        ], "\(logits.map { String($0.bitPattern, radix: 16) })")
        let prediction = try network.predictions(for: Self.goldenInputs, count: 2)
        #expect(prediction.classes == [2, 2])
        #expect(prediction.probabilities.map(\.bitPattern) == [
            0x3EAC_F7CA, 0x3E8A_9DA3, 0x3EC8_6A94,
            0x3EAE_FCF8, 0x3E8A_9746, 0x3EC6_6BC0,
        ], "\(prediction.probabilities.map { String($0.bitPattern, radix: 16) })")
    }

    @Test("canonical bytes: counts, then each row's class and probability bits, little-endian; NaN canonical")
    func canonicalBytes() throws {
        let softmax = try FixedOrderPrediction(logits: [0, 0], outputWidth: 2, loss: .crossEntropy)
        #expect(softmax.canonicalBytes == [1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x3F, 0, 0, 0, 0x3F])
        let binary = try FixedOrderPrediction(logits: [0, .infinity, -.nan], outputWidth: 1, loss: .binaryCrossEntropy)
        #expect(binary.classes == [0, 1, 0])
        #expect(binary.canonicalBytes == [3, 0, 0, 0, 2, 0, 0, 0]
            + [0, 0, 0, 0] + [0, 0, 0, 0x3F] + [0, 0, 0, 0x3F]
            + [1, 0, 0, 0] + [0, 0, 0, 0] + [0, 0, 0x80, 0x3F]
            + [0, 0, 0, 0] + [0, 0, 0xC0, 0x7F] + [0, 0, 0xC0, 0x7F])
    }

    // MARK: - Errors

    @Test("a parameter vector of the wrong length is refused with both counts")
    func wrongParameterCount() throws {
        let spec = try ModelSpec.builtin("mlp", features: 4, classes: 3, hidden: 5)
        let parameters = try Model(spec: spec, seed: 1).flatParameters
        let count = parameters.count
        #expect(throws: LearningError.parameterCountMismatch(expected: count, actual: count - 1)) {
            try FixedOrderNetwork(spec: spec, flatParameters: Array(parameters.dropLast()))
        }
        #expect(throws: LearningError.parameterCountMismatch(expected: count, actual: count + 1)) {
            try FixedOrderNetwork(spec: spec, flatParameters: parameters + [0])
        }
    }

    @Test("unknown layers and shapes that do not fit are refused naming the layer")
    func unsupportedSpecs() throws {
        #expect(throws: LearningError.invalidModelSpec(reason: "unknown layer type 'batchNorm'")) {
            try FixedOrderNetwork(spec: ModelSpec(inputShape: [4], layers: [LayerSpec(type: "batchNorm")]),
                                  flatParameters: [])
        }
        #expect(throws: LearningError.rankMismatch(operation: "Dense input (flatten first)", expected: 1, actual: 2)) {
            try FixedOrderNetwork(spec: ModelSpec(inputShape: [2, 5], layers: [.dense(3)]), flatParameters: [])
        }
        #expect(throws: LearningError.self) {
            try FixedOrderNetwork(spec: ModelSpec(inputShape: [1, 4], layers: [.conv1d(filters: 2, kernel: 9)]),
                                  flatParameters: [])
        }
    }

    @Test("inputs of the wrong size are refused; a regression model gives logits but no classes")
    func wrongInputs() throws {
        let spec = ModelSpec(inputShape: [3], layers: [.dense(2)], loss: .meanSquaredError)
        let network = try FixedOrderNetwork(spec: spec, flatParameters: [1, 2, 3, 4, 5, 6, 7, 8])
        let mismatch = LearningError.shapeMismatch(
            operation: "fixed-order network input", expected: [2, 3], actual: [5])
        #expect(throws: mismatch) {
            try network.logits([1, 2, 3, 4, 5], count: 2)
        }
        #expect(try network.logits([1, 0, -1], count: 1) == [1 - 3 + 7, 4 - 6 + 8])
        #expect(try network.logits([], count: 0) == [])
        #expect(throws: LearningError.self) { try network.predictions(for: [1, 0, -1], count: 1) }
    }
}
