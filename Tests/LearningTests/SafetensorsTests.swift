// Tests of the safetensors format and of saving and loading trained models.

import Foundation
import Learning
import Testing

@Suite("Safetensors")
struct SafetensorsTests {
    @Test("tensors and metadata round-trip")
    func roundTrip() throws {
        let file = Safetensors.File(tensors: ["a.weight": try randomTensor([3, 4], seed: 1),
                                              "a.bias": try randomTensor([3], seed: 2)],
                                    metadata: ["k": "v"])
        let data = try Safetensors.encode(file)
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(headerLength % 8 == 0)
        let decoded = try Safetensors.decode(data)
        #expect(decoded.tensors == file.tensors)
        #expect(decoded.metadata == ["k": "v"])
    }

    @Test("malformed files are rejected", arguments: [
        Data([1, 2, 3]),
        Data([255, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0x7D]),
        Data([2, 0, 0, 0, 0, 0, 0, 0]) + Data("[]".utf8),
        Data([56, 0, 0, 0, 0, 0, 0, 0]) + Data(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#.utf8),
        Data([56, 0, 0, 0, 0, 0, 0, 0]) + Data(#"{"x":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#.utf8)
            + Data(count: 8),
    ])
    func malformed(data: Data) {
        #expect(throws: LearningError.self) { try Safetensors.decode(data) }
    }

    @Test("a trained model saves and loads with the same predictions and preparation")
    func trainedModel() throws {
        let features = try randomTensor([40, 6], seed: 3)
        let data = try Dataset(features: features, labels: (0..<40).map { $0 % 3 })
        var model = try Model(spec: .builtin("mlp", features: 6, classes: 3, hidden: 8), seed: 4)
        try model.train(on: data, configuration: TrainingConfiguration(epochs: 3, batchSize: 8))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("deai-\(UUID()).safetensors").path
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: path.replacingOccurrences(of: ".safetensors", with: ".json"))
        }
        let preparation = TrainedModel.Preparation(featureColumns: ["a", "b", "c", "d", "e", "f"], targetColumn: "y",
                                                   standardizer: Standardizer(fitting: data))
        try TrainedModel(model: model, preparation: preparation).save(to: path)
        let loaded = try TrainedModel.load(from: path)
        #expect(loaded.preparation == preparation)
        #expect(loaded.model.spec == model.spec)
        #expect(try loaded.model.outputs(features) == model.outputs(features))
    }

    @Test("weights whose shapes do not fit the model are rejected")
    func shapeMismatch() throws {
        var model = try Model(spec: .builtin("logreg", features: 3, classes: 2), seed: 0)
        let file = Safetensors.File(tensors: ["0.weight": Tensor(zeros: [2, 4]), "0.bias": Tensor(zeros: [2])])
        #expect(throws: LearningError.weightMismatch(name: "0.weight", expected: [2, 3], actual: [2, 4])) {
            try model.loadWeights(from: file)
        }
    }
}
