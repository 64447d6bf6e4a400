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
        let preparation = TablePreparation(
            features: ["a", "b", "c", "d", "e", "f"].map { FeatureColumn(name: $0, kind: .numeric) },
            target: TargetColumn(name: "y", task: .classification, classes: ["x", "y", "z"]),
            standardizer: Standardizer(fitting: data))
        try TrainedModel(model: model, preparation: preparation).save(to: path)
        let loaded = try TrainedModel.load(from: path)
        #expect(loaded.preparation == preparation)
        #expect(loaded.model.spec == model.spec)
        #expect(try loaded.model.outputs(features) == model.outputs(features))
    }

    @Test("a model saved before text columns loads: its columns numeric, its classes named by index")
    func numericOnlyPreparation() throws {
        let model = try Model(spec: .builtin("logreg", features: 2, classes: 3), seed: 1)
        let old = #"{"featureColumns":["a","b"],"standardizer":{"deviation":[1,2],"mean":[0,1]},"targetColumn":"y"}"#
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("deai-\(UUID()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let spec = String(decoding: try JSONEncoder().encode(model.spec), as: UTF8.self)
        let tensors = Dictionary(uniqueKeysWithValues: zip(model.parameterNames, model.parameters))
        try Safetensors.encode(.init(tensors: tensors, metadata: ["deai.spec": spec, "deai.preparation": old]))
            .write(to: URL(fileURLWithPath: path))
        let loaded = try TrainedModel.load(from: path)
        #expect(loaded.preparation.features.map(\.name) == ["a", "b"])
        #expect(loaded.preparation.features.allSatisfy { $0.kind == .numeric })
        #expect(loaded.preparation.target == TargetColumn(name: "y", task: .classification, classes: ["0", "1", "2"]))
        #expect(loaded.preparation.standardizer?.deviation == [1, 2])
    }

    @Test("a header whose shape overflows, or claims more than the file holds, is an error before any allocation")
    func hostileShapes() throws {
        for shape in ["[2147483648, 2147483648]", "[4294967296, 4294967296, 4]", "[1000000000]"] {
            let header = #"{"w":{"dtype":"F32","shape":"# + shape + #","data_offsets":[0,16]}}"#
            var data = Data()
            withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
            data.append(Data(header.utf8))
            data.append(Data(count: 16))
            #expect(throws: LearningError.self, "\(shape)") { try Safetensors.decode(data) }
        }
    }

    @Test("a model spec beyond the size limit is refused before allocating")
    func hugeSpec() {
        #expect(throws: LearningError.invalidModelSpec(reason: "dense needs a positive 'units' of at most 268435456")) {
            try Model(spec: ModelSpec(inputShape: [4], layers: [.dense(100_000_000_000)]), seed: 0)
        }
        #expect(throws: LearningError.invalidModelSpec(reason: "the model would have more than 268435456 parameters")) {
            try Model(spec: ModelSpec(inputShape: [10_000], layers: [.dense(100_000)]), seed: 0)
        }
        #expect(throws: LearningError.self) {
            try Model(spec: ModelSpec(inputShape: [Int.max / 2], layers: [.dense(4)]), seed: 0)
        }
        // Shapes whose products would overflow: refused, not trapped.
        let hostile = [
            #"{"inputShape":[4294967296,4294967296],"layers":[{"type":"flatten"},{"type":"dense","units":2}]}"#,
            #"{"inputShape":[1,8],"layers":[{"type":"conv1d","filters":2,"kernel":[3],"padding":[4611686018427387904]}]}"#,
            #"{"inputShape":[8],"layers":[{"type":"reshape","shape":[4294967296,4294967296,4]}]}"#,
            #"{"inputShape":[1,64,64],"layers":[{"type":"conv2d","filters":268435456,"kernel":[1]},{"type":"flatten"}]}"#,
        ]
        for json in hostile {
            #expect(throws: (any Error).self, "\(json)") {
                try Model(spec: try JSONDecoder().decode(ModelSpec.self, from: Data(json.utf8)), seed: 0)
            }
        }
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
