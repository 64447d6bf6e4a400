// Per-sample losses: their mean is the evaluated loss, for every loss function and batch size.

import Learning
import Testing

@Suite("Per-sample losses")
struct ExampleLossTests {
    /// 50 samples of 6 features (not a multiple of the batch sizes below) and a model for `loss`.
    static func example(_ loss: ModelSpec.Loss) throws -> (Model, Dataset) {
        let features = try randomTensor([50, 6], seed: 3, scale: 2)
        let outputs = loss == .crossEntropy ? 4 : 1
        let spec = ModelSpec(inputShape: [6], layers: [.dense(8), .activation(.relu), .dense(outputs)], loss: loss)
        let data = switch loss {
        case .crossEntropy: try Dataset(features: features, labels: (0..<50).map { $0 % 4 })
        case .binaryCrossEntropy: try Dataset(features: features, labels: (0..<50).map { $0 % 3 == 0 ? 1 : 0 })
        case .meanSquaredError: try Dataset(features: features, targets: (0..<50).map { Float($0 % 7) / 3 - 1 })
        }
        return (try Model(spec: spec, seed: 5), data)
    }

    @Test("The mean of the per-sample losses is the evaluated loss", arguments: [
        ModelSpec.Loss.crossEntropy, .binaryCrossEntropy, .meanSquaredError,
    ])
    func meanIsEvaluatedLoss(loss: ModelSpec.Loss) throws {
        let (model, data) = try Self.example(loss)
        let expected = try model.evaluate(on: data).loss
        for batchSize in [1, 16, 1024] {
            let losses = try model.exampleLosses(on: data, batchSize: batchSize)
            #expect(losses.count == 50)
            #expect(losses.allSatisfy { $0.isFinite && $0 >= 0 })
            let mean = losses.reduce(0, +) / Double(losses.count)
            #expect(abs(mean - expected) <= 1e-6 * max(expected, 1), "\(loss), batch \(batchSize)")
        }
        #expect(try model.exampleLosses(on: data, batchSize: 7) == model.exampleLosses(on: data, batchSize: 50))
    }

    @Test("One sample's loss is that sample's evaluated loss; a label outside the classes is an error")
    func singleSample() throws {
        let (model, data) = try Self.example(.crossEntropy)
        let losses = try model.exampleLosses(on: data)
        for index in [0, 17, 49] {
            let alone = try model.evaluate(on: data.subset([index])).loss
            #expect(abs(losses[index] - alone) <= 1e-6 * max(alone, 1))
        }
        var bad = data
        bad.labels[3] = 4
        #expect(throws: LearningError.self) { try model.exampleLosses(on: bad) }
    }
}
