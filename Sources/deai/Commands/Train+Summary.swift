// Train+Summary: what `deai train` prints — the final figures, and a progress bar while it trains.

import Foundation
import Learning

/// The figures `deai train` prints at the end.
struct TrainSummary: Encodable {
    var data: TableDescription
    var parameters: Int
    var epochs: [EpochReport]
    var testSamples: Int
    var testLoss: Double
    var testAccuracy: Double?
    var testMeanSquaredError: Double?
    var precision: Double?
    var recall: Double?
    var f1: Double?
    var rocAUC: Double?
    var confusionMatrix: [[Int]]?
    /// Test rows left out or not scored (an odd cell or target), with their lines.
    var testRowsNotScored: [EncodedTable.RowNote]
    var out: String
    var threads: Int
    var kernels: String

    init(model: Model, target: TargetColumn, reports: [EpochReport], evaluation: Evaluation, test: Dataset,
         testNotes: [EncodedTable.RowNote], data: TableDescription, out: String, threads: Int) {
        self.data = data
        self.testRowsNotScored = testNotes
        self.parameters = model.parameterCount
        self.epochs = reports
        self.testSamples = test.count
        self.testLoss = evaluation.loss
        self.out = out
        self.threads = threads
        self.kernels = KernelVariant.current.description
        guard test.isClassification else {
            // The model predicts the standardized target: the error in the target's own units.
            self.testMeanSquaredError = evaluation.meanSquaredError * target.deviation * target.deviation
            return
        }
        self.testAccuracy = evaluation.accuracy
        let classes = max(test.classCount, (evaluation.predictions.max() ?? 0) + 1)
        self.confusionMatrix = ClassificationMetrics.confusionMatrix(evaluation.predictions, test.labels, classes: classes)
        if classes == 2 {
            let scores = ClassificationMetrics.precisionRecallF1(evaluation.predictions, test.labels)
            (self.precision, self.recall, self.f1) = (scores.precision, scores.recall, scores.f1)
            if let logits = try? model.outputs(test.features) {
                let values = logits.scalars
                let width = values.count / max(test.count, 1)
                let margins = (0..<test.count).map { width == 1 ? values[$0] : values[$0 * width + 1] - values[$0 * width] }
                self.rocAUC = ClassificationMetrics.rocAUC(scores: margins, labels: test.labels)
            }
        } else {
            self.f1 = ClassificationMetrics.macroF1(evaluation.predictions, test.labels, classes: classes)
        }
    }

    var text: String {
        let perEpoch = self.epochs.map(\.seconds).reduce(0, +) / Double(max(self.epochs.count, 1))
        var lines = ["trained \(self.parameters) parameters for \(self.epochs.count) epochs, "
            + String(format: "%.4f s per epoch (%@ kernels, %d threads)", perEpoch, self.kernels, self.threads)]
        if let accuracy = self.testAccuracy {
            lines.append(String(format: "test: %d samples, accuracy %.2f%%, loss %.4f", self.testSamples, accuracy * 100,
                                self.testLoss))
        }
        if let mse = self.testMeanSquaredError { lines.append(String(format: "test: %d samples, MSE %.4f", self.testSamples, mse)) }
        if let first = self.testRowsNotScored.first {
            lines.append("test rows not scored: \(self.testRowsNotScored.count) (first: line \(first.line), \(first.reason))")
        }
        if let precision = self.precision, let recall = self.recall, let f1 = self.f1 {
            lines.append(String(format: "precision %.3f, recall %.3f, F1 %.3f", precision, recall, f1)
                + (self.rocAUC.map { String(format: ", ROC AUC %.3f", $0) } ?? ""))
        } else if let f1 = self.f1 {
            lines.append(String(format: "macro F1 %.3f", f1))
        }
        if let matrix = self.confusionMatrix, matrix.count <= 10 {
            lines.append("confusion matrix (rows: truth, columns: predicted):")
            lines += matrix.map { row in row.map { String(format: "%5d", $0) }.joined() }
        }
        lines.append("model written to \(self.out)")
        return lines.joined(separator: "\n")
    }
}

/// A one-line progress bar on stderr: epoch, loss, accuracy, samples/s.
final class TrainingProgressBar: Sendable {
    let total: Int

    init(total: Int) { self.total = total }

    func show(_ report: EpochReport) {
        let width = 24
        let filled = report.epoch * width / max(self.total, 1)
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line = String(format: "\r epoch %3d/%d %@ loss %.4f  acc %6.2f%%  %9.0f samples/s", report.epoch, self.total,
                          bar, report.loss, report.accuracy * 100, report.samplesPerSecond)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
