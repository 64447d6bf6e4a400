// DP-SGD: each example's gradient clipped as if computed alone, noise of the promised size, the same bits for any
// thread count.

import Learning
import Testing

@Suite("Private training (DP-SGD)")
struct PrivateTrainingTests {
    /// Models covering every layer kind with parameters, by name (no dropout: the reference trains one example at a
    /// time and would draw other masks).
    static let specs: [String: ModelSpec] = [
        "dense and layerNorm": ModelSpec(inputShape: [6], layers: [
            .dense(8), LayerSpec(type: "layerNorm"), .activation(.tanh), .dense(8), .activation(.relu),
            .reshape([2, 4]), LayerSpec(type: "layerNorm"), .flatten, .dense(3),
        ]),
        "conv1d and layerNorm": ModelSpec(inputShape: [2, 3], layers: [
            .conv1d(filters: 3, kernel: 2, stride: 1, padding: 1), .activation(.tanh), LayerSpec(type: "layerNorm"),
            .flatten, .dense(3),
        ]),
        "conv2d and pools": ModelSpec(inputShape: [1, 2, 3], layers: [
            LayerSpec(type: "conv2d", filters: 2, kernel: [2], padding: [1]), .activation(.relu),
            LayerSpec(type: "maxPool2d", kernel: [2]), .flatten, .dense(3),
        ]),
    ]

    /// `count` examples of six random features in `shape`, labelled by which of the first three is largest.
    static func data(seed: UInt64, count: Int = 12, shape: [Int] = [6]) throws -> Dataset {
        let features = try randomTensor([count] + shape, seed: seed, scale: 2)
        let labels = (0..<count).map { example in
            let first = features.scalars[example * 6 ..< example * 6 + 3]
            return first.firstIndex(of: first.max() ?? 0).map { $0 - example * 6 } ?? 0
        }
        return try Dataset(features: features, labels: labels, classCount: 3)
    }

    /// Plain SGD with learning rate 1: a step moves the weights by minus the gradient.
    static func sgd(_ privacy: DifferentialPrivacy? = nil, seed: UInt64 = 1) -> TrainingConfiguration {
        TrainingConfiguration(
            epochs: 1, batchSize: 1, optimizer: OptimizerSpec(kind: .sgd, learningRate: 1, momentum: 0), seed: seed,
            shards: 2, privacy: privacy)
    }

    /// Each parameter's scalars, flattened.
    static func flat(_ model: Model) -> [Float] { model.parameters.flatMap(\.scalars) }

    @Test("every example's gradient is clipped as if computed alone, for dense, convolution and layer-norm layers",
          arguments: ["dense and layerNorm", "conv1d and layerNorm", "conv2d and pools"])
    func clipsEachExample(name: String) throws {
        let spec = try #require(Self.specs[name])
        let data = try Self.data(seed: 4, shape: spec.inputShape)
        let model = try Model(spec: spec, seed: 9)
        // The reference: each example's own gradient, from one plain SGD step on it alone.
        let start = Self.flat(model)
        let own: [[Float]] = try (0..<data.count).map { example in
            var alone = model
            try alone.train(on: try data.subset([example]), configuration: Self.sgd())
            return zip(start, Self.flat(alone)).map { $0 - $1 }
        }
        let norms = own.map { $0.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot() }
        let clippingNorm = norms.sorted()[norms.count / 2]  // half the examples are clipped
        var expected = [Double](repeating: 0, count: start.count)
        for (gradient, norm) in zip(own, norms) {
            let factor = min(1, clippingNorm / norm)
            for index in expected.indices { expected[index] += Double(gradient[index]) * factor }
        }

        // q = 1: one step over every example; σ = 0: no noise; the step is minus the clipped mean.
        var trained = model
        try trained.train(on: data, configuration: Self.sgd(DifferentialPrivacy(
            clippingNorm: clippingNorm, noiseMultiplier: 0, samplingRate: 1)))
        let step = zip(start, Self.flat(trained)).map { Double($0 - $1) * Double(data.count) }
        let scale = expected.map(abs).max() ?? 1
        for (got, want) in zip(step, expected) {
            #expect(abs(got - want) <= 1e-3 * scale, "\(name): \(got) against \(want)")
        }
    }

    @Test("the noise added to the clipped sum has standard deviation σ·C on every coordinate")
    func noiseSize() throws {
        let data = try Self.data(seed: 6)
        let model = try Model(spec: try .builtin("mlp", features: 6, classes: 3), seed: 2)
        func step(_ sigma: Double) throws -> [Float] {
            var trained = model
            try trained.train(on: data, configuration: Self.sgd(DifferentialPrivacy(
                clippingNorm: 0.5, noiseMultiplier: sigma, samplingRate: 1)))
            return Self.flat(trained)
        }
        let (quiet, noisy) = (try step(0), try step(2))
        let noise = zip(quiet, noisy).map { Double($0 - $1) * Double(data.count) }
        let mean = noise.reduce(0, +) / Double(noise.count)
        let deviation = (noise.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(noise.count)).squareRoot()
        #expect(noise.count > 5_000)
        #expect(abs(deviation - 1.0) < 0.05, "σ·C = 1; measured \(deviation)")
        #expect(abs(mean) < 0.05)
    }

    @Test("Poisson-sampled DP-SGD gives the same weights for any thread count, and learns")
    func threadCountAndLearning() throws {
        let data = try Self.data(seed: 8, count: 120)
        let spec = try #require(Self.specs["dense and layerNorm"])
        let privacy = DifferentialPrivacy(clippingNorm: 1, noiseMultiplier: 0.5, samplingRate: 0.25)
        var configuration = Self.sgd(privacy, seed: 3)
        configuration.optimizer = OptimizerSpec(kind: .sgd, learningRate: 0.5, momentum: 0)
        configuration.epochs = 20
        let weights = try [1, 2, 4].map { threads in
            try Parallelism.$threadCount.withValue(threads) {
                var model = try Model(spec: spec, seed: 5)
                try model.train(on: data, configuration: configuration)
                return Self.flat(model).map(\.bitPattern)
            }
        }
        #expect(weights[0] == weights[1] && weights[1] == weights[2])
        var model = try Model(spec: spec, seed: 5)
        let before = try model.evaluate(on: data).loss
        try model.train(on: data, configuration: configuration)
        #expect(try model.evaluate(on: data).loss < before)
    }

    @Test("a configuration that cannot train is refused with the reason")
    func refusals() throws {
        var model = try Model(spec: try .builtin("mlp", features: 6, classes: 3), seed: 2)
        let data = try Self.data(seed: 1)
        for (privacy, reason) in [
            (DifferentialPrivacy(clippingNorm: 0, noiseMultiplier: 1, samplingRate: 0.1), "clipping norm"),
            (DifferentialPrivacy(clippingNorm: 1, noiseMultiplier: -1, samplingRate: 0.1), "noise multiplier"),
            (DifferentialPrivacy(clippingNorm: 1, noiseMultiplier: 1, samplingRate: 0), "sampling rate"),
        ] {
            #expect { try model.train(on: data, configuration: Self.sgd(privacy)) } throws: { "\($0)".contains(reason) }
        }
    }
}
