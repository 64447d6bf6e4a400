// Tests of CSV and IDX data, splits, batches, standardization and metrics.

import Foundation
import Learning
import Testing

@Suite("Data and metrics")
struct DataAndMetricsTests {
    private let csv = """
        a,b,label
        1,10,0
        2,20,1
        3,30,0
        4,40,1
        5,50,0
        6,60,1
        7,70,0
        8,80,1
        """

    @Test("CSV with a header: target column by name, features in order")
    func csvTarget() throws {
        let table = try CSVTable(text: self.csv)
        let byDefault = try table.dataset()
        #expect(byDefault.labels == [0, 1, 0, 1, 0, 1, 0, 1])
        #expect(byDefault.features.shape == [8, 2])
        let byName = try table.dataset(target: "a")
        #expect(byName.labels == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(try byName.features.slice(0..<1).scalars == [10, 0])
        #expect(throws: LearningError.unknownColumn(name: "c", available: ["a", "b", "label"])) {
            try table.dataset(target: "c")
        }
    }

    @Test("malformed CSV names the line and the column")
    func malformedCSV() {
        #expect(throws: LearningError.malformedData(
            file: "csv", line: 3, reason: "column 'b': 'x' is not a number (this reader takes numbers only)")) {
            try CSVTable(text: "a,b\n1,2\n3,x\n").dataset()
        }
        #expect(throws: LearningError.malformedData(file: "csv", line: 2, reason: "1 fields, the header has 2")) {
            try CSVTable(text: "a,b\n1\n")
        }
    }

    @Test("stratified split keeps class proportions and is repeatable")
    func stratifiedSplit() throws {
        let data = try CSVTable(text: self.csv).dataset()
        var g1 = Xoshiro256(seed: 3)
        var g2 = Xoshiro256(seed: 3)
        let (train, test) = try data.stratifiedSplit(testFraction: 0.25, using: &g1)
        let again = try data.stratifiedSplit(testFraction: 0.25, using: &g2)
        #expect(test.labels.sorted() == [0, 1])
        #expect(train.count == 6)
        #expect(test.features == again.test.features)
    }

    @Test("mini-batches cover every sample once per epoch")
    func batches() throws {
        let data = try CSVTable(text: self.csv).dataset()
        var generator = Xoshiro256(seed: 1)
        let batches = data.batches(size: 3, using: &generator)
        #expect(batches.map(\.count) == [3, 3, 2])
        #expect(batches.flatMap { $0 }.sorted() == Array(0..<8))
    }

    @Test("standardization uses training statistics")
    func standardizer() throws {
        let data = try CSVTable(text: self.csv).dataset()
        let standardizer = Standardizer(fitting: data)
        #expect(abs(standardizer.mean[0] - 4.5) < 1e-6)
        let scaled = try standardizer.apply(to: data)
        let column = stride(from: 0, to: 16, by: 2).map { scaled.features.scalars[$0] }
        #expect(abs(column.reduce(0, +)) < 1e-5)
        #expect(abs(column.map { $0 * $0 }.reduce(0, +) / 8 - 1) < 1e-4)
    }

    @Test("IDX files round-trip and bad headers are rejected")
    func idx() throws {
        let tensor = try randomTensor([3, 4, 2], seed: 1)
        #expect(try IDXFile.decode(IDXFile.encode(tensor)) == tensor)
        let bytes: [UInt8] = [0, 0, 0x08, 1, 0, 0, 0, 3, 7, 8, 9]
        #expect(try IDXFile.decode(Data(bytes)).scalars == [7, 8, 9])
        #expect(throws: LearningError.self) { try IDXFile.decode(Data([0, 0, 0x08, 1, 0, 0, 0, 4, 7])) }
        #expect(throws: LearningError.self) { try IDXFile.decode(Data([1, 2, 3])) }
    }

    @Test("accuracy, precision, recall, F1 and the confusion matrix")
    func classification() {
        let predictions = [1, 1, 0, 0, 1, 0]
        let labels = [1, 0, 0, 1, 1, 0]
        #expect(ClassificationMetrics.accuracy(predictions, labels) == 4.0 / 6)
        let scores = ClassificationMetrics.precisionRecallF1(predictions, labels)
        #expect(scores.precision == 2.0 / 3)
        #expect(scores.recall == 2.0 / 3)
        #expect(abs(scores.f1 - 2.0 / 3) < 1e-12)
        #expect(ClassificationMetrics.confusionMatrix(predictions, labels, classes: 2) == [[2, 1], [1, 2]])
    }

    @Test("ROC AUC counts ties as one half")
    func rocAUC() {
        #expect(ClassificationMetrics.rocAUC(scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1]) == 0.75)
        #expect(ClassificationMetrics.rocAUC(scores: [0.5, 0.5], labels: [0, 1]) == 0.5)
        #expect(ClassificationMetrics.rocAUC(scores: [0.5, 0.6], labels: [1, 1]) == nil)
        #expect(ClassificationMetrics.meanSquaredError([1, 2], [0, 4]) == 2.5)
    }
}
