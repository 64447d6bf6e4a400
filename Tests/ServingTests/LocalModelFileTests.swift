// A model file written by `deai train`, served under its name.

import Foundation
import Learning
import Ledger
import Serving
import Testing

@Suite("Local model files")
struct LocalModelFileTests {
    @Test("a trained model file is served under its file name, with its preparation, as its fixed-order network answers")
    func servesATrainedFile() throws {
        let model = try Model(spec: .builtin("mlp", features: 3, classes: 2, hidden: 4), seed: 5)
        var standardizer = Standardizer(fitting: try Dataset(features: try Tensor(shape: [1, 3], scalars: [0, 0, 0]), labels: [0]))
        standardizer.mean = [50, 2, 70]
        standardizer.deviation = [10, 1, 15]
        let preparation = TablePreparation(
            features: ["age", "dose", "weight"].map { FeatureColumn(name: $0, kind: .numeric) },
            target: TargetColumn(name: "outcome", task: .classification, classes: ["no", "yes"]),
            standardizer: standardizer)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deai-serve-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/ward.safetensors"
        try TrainedModel(model: model, preparation: preparation).save(to: path)

        let loaded = try ModelLoading.loadFile(path)
        #expect(loaded.id == "ward" && loaded.taskID == 0 && loaded.version == 0)
        #expect(loaded.served.classNames == ["no", "yes"] && loaded.served.rowWidth == 3)
        let row: [Double] = [62, 3, 81]
        let standardized: [Float] = [Float(62 - 50) / 10, Float(3 - 2) / 1, Float(81 - 70) / 15]
        let direct = try FixedOrderNetwork(spec: model.spec, flatParameters: model.flatParameters)
            .predictions(for: standardized, count: 1)
        let answer = try loaded.served.answer([row])
        #expect(answer.classes == direct.classes)
        // The prepared row goes through the same fixed-order path: the probabilities agree to rounding.
        #expect(zip(answer.probabilities[0], direct.probabilities).allSatisfy { abs($0 - $1) < 1e-6 })

        #expect(throws: ServingError.self) { try ModelLoading.loadFile(directory + "/missing.safetensors") }
    }
}
