// Tests of the bundled devnet data sets: shapes, classes, splits and standardization.

import Devnet
import Learning
import Testing

@Suite("Devnet data sets")
struct DevnetDatasetTests {
    @Test("each data set loads from the bundle with its documented shape", arguments: [
        // Single-file sets hold out a rounded quarter of each class: 53 + 89 breast cancer tumours, 451 digits.
        (DevnetDataset.breastCancer, 569, 427, 30, 2),
        (DevnetDataset.digits, 1797, 1346, 64, 10),
        (DevnetDataset.mnist1d, 5000, 4000, 40, 10),
    ])
    func shapes(dataset: DevnetDataset, total: Int, train: Int, features: Int, classes: Int) throws {
        let data = try dataset.load()
        #expect(data.name == dataset.rawValue)
        #expect(data.train.count + data.test.count == total)
        #expect(data.train.count == train)
        #expect(data.train.features.shape == [train, features])
        #expect(data.test.features.shape == [total - train, features])
        #expect(data.featureCount == features && dataset.featureCount == features)
        #expect(data.classCount == classes && dataset.classCount == classes)
        #expect(data.test.classCount == classes)
        #expect(Set(data.train.labels) == Set(0..<classes))
        #expect(Set(data.test.labels) == Set(0..<classes))
        #expect(!dataset.summary.isEmpty)
    }

    @Test("the single-file data sets split 75/25 by class, the same way every time")
    func stratifiedSplit() throws {
        let first = try DevnetDataset.breastCancer.load()
        let again = try DevnetDataset.breastCancer.load()
        #expect(first.train.features == again.train.features)
        #expect(first.test.labels == again.test.labels)
        // 212 malignant (0) and 357 benign (1): a quarter of each, rounded.
        #expect(first.test.labels.filter { $0 == 0 }.count == 53)
        #expect(first.test.labels.filter { $0 == 1 }.count == 89)
        let other = try DevnetDataset.breastCancer.load(splitSeed: 7)
        #expect(other.test.features != first.test.features)
    }

    @Test("features are standardized with training statistics only", arguments: DevnetDataset.allCases)
    func standardized(dataset: DevnetDataset) throws {
        let data = try dataset.load()
        let width = data.featureCount
        let train = data.train.features.scalars
        for column in 0..<width {
            let values = stride(from: column, to: train.count, by: width).map { Double(train[$0]) }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
            #expect(abs(mean) < 1e-3, "feature \(column) mean \(mean)")
            // A feature that is constant in the training split (digits has some) stays at 0.
            #expect(abs(variance - 1) < 1e-2 || variance < 1e-6, "feature \(column) variance \(variance)")
        }
        #expect(data.standardizer.mean.count == width)
    }

    @Test("the default model fits the data and the local training is usable", arguments: DevnetDataset.allCases)
    func defaultModel(dataset: DevnetDataset) throws {
        let data = try dataset.load()
        let spec = try dataset.defaultModelSpec()
        let model = try Model(spec: spec, seed: 0)
        let evaluation = try model.evaluate(on: data.test)
        #expect(evaluation.predictions.count == data.test.count)
        #expect(dataset.localTraining.epochs >= 1)
    }

    @Test("raw values round-trip through the Codable name the CLI and configs use")
    func names() {
        #expect(DevnetDataset(rawValue: "breast_cancer") == .breastCancer)
        #expect(DevnetDataset.allCases.map(\.rawValue) == ["breast_cancer", "digits", "mnist1d"])
        #expect(DevnetDataset.mnist1d.files == ["mnist1d_train.csv", "mnist1d_test.csv"])
    }
}
