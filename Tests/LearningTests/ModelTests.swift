// Tests of model specs, parameter vectors, layers and optimizers.

import Foundation
import Learning
import Testing

@Suite("Models and optimizers")
struct ModelTests {
    @Test("a spec round-trips through JSON and builds the same model from the same seed")
    func specRoundTrip() throws {
        let spec = try ModelSpec.builtin("cnn1d", features: 40, classes: 10)
        let json = try JSONEncoder().encode(spec)
        let decoded = try JSONDecoder().decode(ModelSpec.self, from: json)
        #expect(decoded == spec)
        let a = try Model(spec: spec, seed: 9)
        let b = try Model(spec: decoded, seed: 9)
        #expect(a.flatParameters == b.flatParameters)
        #expect(a.parameterNames == ["1.weight", "1.bias", "3.weight", "3.bias", "5.weight", "5.bias", "8.weight", "8.bias"])
        #expect(a.parameterShapes == [[25, 1, 5], [25], [25, 25, 3], [25], [25, 25, 3], [25], [10, 125], [10]])
    }

    @Test("a spec written by hand in JSON builds")
    func handWrittenSpec() throws {
        let json = """
            {"inputShape": [1, 8, 8], "loss": "crossEntropy", "layers": [
              {"type": "conv2d", "filters": 4, "kernel": [3], "padding": [1]}, {"type": "gelu"},
              {"type": "maxPool2d", "kernel": [2]}, {"type": "flatten"}, {"type": "layerNorm"},
              {"type": "dropout", "rate": 0.1}, {"type": "dense", "units": 3}, {"type": "tanh"}]}
            """
        let spec = try JSONDecoder().decode(ModelSpec.self, from: Data(json.utf8))
        var model = try Model(spec: spec, seed: 1)
        let data = try Dataset(features: try randomTensor([12, 1, 8, 8], seed: 2), labels: (0..<12).map { $0 % 3 })
        let reports = try model.train(on: data, configuration: TrainingConfiguration(epochs: 2, batchSize: 4))
        #expect(reports.count == 2)
        #expect(reports.allSatisfy { $0.loss.isFinite })
    }

    @Test("invalid specs are rejected with a reason", arguments: [
        #"{"inputShape": [4], "layers": [{"type": "dense"}], "loss": "crossEntropy"}"#,
        #"{"inputShape": [4], "layers": [{"type": "swish"}], "loss": "crossEntropy"}"#,
        #"{"inputShape": [4], "layers": [{"type": "conv1d", "filters": 2, "kernel": [3]}], "loss": "crossEntropy"}"#,
        #"{"inputShape": [2, 3], "layers": [{"type": "conv1d", "filters": 2, "kernel": [9]}], "loss": "crossEntropy"}"#,
        #"{"inputShape": [], "layers": [], "loss": "crossEntropy"}"#,
    ])
    func invalidSpecs(json: String) throws {
        #expect(throws: LearningError.self) {
            try Model(spec: try JSONDecoder().decode(ModelSpec.self, from: Data(json.utf8)), seed: 0)
        }
    }

    @Test("flat parameters round-trip and a wrong length is rejected")
    func flatParameters() throws {
        var model = try Model(spec: .builtin("mlp", features: 4, classes: 3, hidden: 5), seed: 1)
        let other = try Model(spec: .builtin("mlp", features: 4, classes: 3, hidden: 5), seed: 2)
        #expect(model.flatParameters.count == model.parameterCount)
        try model.setFlatParameters(other.flatParameters)
        #expect(model.parameters == other.parameters)
        #expect(throws: LearningError.scalarCountMismatch(shape: [model.parameterCount], count: 3)) {
            try model.setFlatParameters([1, 2, 3])
        }
    }

    @Test("SGD with momentum and weight decay follows PyTorch's update")
    func sgd() throws {
        var parameters = [try Tensor(shape: [2], scalars: [1, -1])]
        let gradient = [try Tensor(shape: [2], scalars: [0.5, 0.5])]
        var optimizer = SGD(learningRate: 0.1, momentum: 0.9, weightDecay: 0.01)
        try optimizer.update(&parameters, gradients: gradient)
        // g = 0.5 + 0.01·p; v = g; p -= 0.1·v
        #expect(abs(parameters[0].scalars[0] - (1 - 0.1 * 0.51)) < 1e-6)
        let p1 = parameters[0].scalars[0]
        try optimizer.update(&parameters, gradients: gradient)
        let v2 = 0.9 * 0.51 + (0.5 + 0.01 * p1)
        #expect(abs(parameters[0].scalars[0] - (p1 - 0.1 * v2)) < 1e-6)
        #expect(throws: LearningError.self) { try optimizer.update(&parameters, gradients: []) }
    }

    @Test("Adam's first step moves each weight by the learning rate against its gradient's sign")
    func adam() throws {
        var parameters = [try Tensor(shape: [3], scalars: [0, 0, 0])]
        var optimizer = Adam(learningRate: 0.01)
        try optimizer.update(&parameters, gradients: [try Tensor(shape: [3], scalars: [2, -0.5, 0.001])])
        for (value, expected) in zip(parameters[0].scalars, [Float(-0.01), 0.01, -0.01]) {
            #expect(abs(value - expected) < 1e-4)
        }
        var decoupled = Adam(learningRate: 0.1, weightDecay: 0.5, decoupled: true)
        var weights = [try Tensor(shape: [1], scalars: [2])]
        try decoupled.update(&weights, gradients: [Tensor(zeros: [1])])
        #expect(abs(weights[0].scalars[0] - 2 * (1 - 0.1 * 0.5)) < 1e-6)
    }

    @Test("learning-rate schedules")
    func schedules() {
        #expect(LearningRateSchedule.constant.rate(base: 0.1, epoch: 7) == 0.1)
        #expect(abs(LearningRateSchedule.step(every: 2, factor: 0.5).rate(base: 1, epoch: 5) - 0.25) < 1e-7)
        #expect(abs(LearningRateSchedule.cosine(epochs: 10, minimum: 0).rate(base: 1, epoch: 5) - 0.5) < 1e-6)
        #expect(LearningRateSchedule.cosine(epochs: 10, minimum: 0.1).rate(base: 1, epoch: 10) == 0.1)
        #expect(abs(LearningRateSchedule.warmup(epochs: 4).rate(base: 1, epoch: 1) - 0.5) < 1e-7)
    }

    @Test("the same seed gives the same generator stream; different seeds differ")
    func generators() {
        var a = Xoshiro256(seed: 42)
        var b = Xoshiro256(seed: 42)
        var c = Xoshiro256(seed: 43)
        let first = (0..<4).map { _ in a.next() }
        #expect(first == (0..<4).map { _ in b.next() })
        #expect(first != (0..<4).map { _ in c.next() })
        var mixer = SplitMix64(seed: 0)
        #expect(mixer.next() == 0xE220_A839_7B1D_CDAF)  // the reference SplitMix64 output for seed 0
    }
}
