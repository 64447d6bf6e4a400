// `deai train`: trains a model on a CSV data set and writes it as safetensors.

import ArgumentParser
import Foundation
import Learning

/// `deai train --data FILE [--test FILE] --model SPEC --epochs N --seed S …`
///
/// Reads a numeric CSV with a header, standardizes it with the training statistics (a stratified 75/25 split when
/// no test file is given), trains with a progress bar on stderr, prints the final metrics and writes the model
/// (`--out`, safetensors with the spec and the data preparation in its metadata, plus the spec as JSON).
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on a CSV data set and write it as safetensors."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Training data: CSV with a header row.") var data: String
    @Option(help: "Test data (default: a stratified 25% of --data).") var test: String?
    @Option(help: "A model spec (.json file) or a built-in name: logreg, mlp, cnn1d.") var model: String = "mlp"
    @Option(help: "Hidden units of the built-in mlp.") var hidden: Int = 128
    @Option(help: "Target column (default: the last column).") var target: String?
    @Option(help: "Passes over the training data.") var epochs: Int = 30
    @Option(help: "Seed of initialization, split, shuffling and dropout.") var seed: UInt64 = 0
    @Option(help: "Samples per mini-batch.") var batch: Int = 64
    @Option(help: "Learning rate.") var lr: Float = 0.1
    @Option(help: "Optimizer: sgd, adam or adamw.") var optimizer: String = "sgd"
    @Option(help: "SGD momentum.") var momentum: Float = 0.9
    @Option(help: "Weight decay.") var weightDecay: Float = 0
    @Option(help: "Learning-rate schedule: constant, cosine (to 0 over the epochs) or step (halved every 10 epochs).")
    var schedule: String = "constant"
    @Option(help: "Where to write the model (safetensors; the spec goes next to it as .json).")
    var out: String = "model.safetensors"
    @Option(help: "Kernel threads (default: all cores).") var threads: Int?

    func validate() throws {
        guard self.epochs > 0, self.batch > 0, self.lr > 0 else {
            throw ValidationError("--epochs, --batch and --lr must be positive")
        }
        guard OptimizerSpec.Kind(rawValue: self.optimizer) != nil else {
            throw ValidationError("--optimizer must be sgd, adam or adamw")
        }
        if let threads = self.threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        guard ["constant", "cosine", "step"].contains(self.schedule) else {
            throw ValidationError("--schedule must be constant, cosine or step")
        }
    }

    /// The schedule named by `--schedule`.
    private var learningRateSchedule: LearningRateSchedule {
        switch self.schedule {
        case "cosine": .cosine(epochs: self.epochs, minimum: 0)
        case "step": .step(every: 10, factor: 0.5)
        default: .constant
        }
    }

    func run() async throws {
        let threads = self.threads ?? Parallelism.threadCount
        try Parallelism.$threadCount.withValue(threads) { try self.train() }
    }

    private func train() throws {
        let table = try CSVTable(contentsOf: self.data)
        let targetColumn = self.target ?? table.columns.last ?? ""
        var trainSet = try table.dataset(target: targetColumn)
        var testSet: Dataset
        if let test = self.test {
            testSet = try CSVTable(contentsOf: test).dataset(target: targetColumn)
        } else {
            var generator = Xoshiro256(seed: self.seed)
            (trainSet, testSet) = try trainSet.stratifiedSplit(testFraction: 0.25, using: &generator)
        }
        let standardizer = Standardizer(fitting: trainSet)
        trainSet = try standardizer.apply(to: trainSet)
        testSet = try standardizer.apply(to: testSet)
        let classes = max(trainSet.classCount, testSet.classCount)
        let spec = try self.modelSpec(features: trainSet.sampleShape.reduce(1, *), classes: classes,
                                      regression: !trainSet.isClassification)
        trainSet = try trainSet.reshaped(sampleShape: spec.inputShape)
        testSet = try testSet.reshaped(sampleShape: spec.inputShape)

        var model = try Model(spec: spec, seed: self.seed)
        let configuration = TrainingConfiguration(
            epochs: self.epochs, batchSize: self.batch,
            optimizer: OptimizerSpec(kind: OptimizerSpec.Kind(rawValue: self.optimizer) ?? .sgd, learningRate: self.lr,
                                     momentum: self.momentum, weightDecay: self.weightDecay),
            schedule: self.learningRateSchedule, seed: self.seed)
        let progress = TrainingProgressBar(total: self.epochs)
        let reports = try model.train(on: trainSet, configuration: configuration) { progress.show($0) }
        progress.finish()

        let evaluation = try model.evaluate(on: testSet)
        let featureColumns = table.columns.filter { $0 != targetColumn }
        let trained = TrainedModel(model: model, preparation: .init(featureColumns: featureColumns,
                                                                    targetColumn: targetColumn,
                                                                    standardizer: standardizer))
        let outPath = (self.out as NSString).expandingTildeInPath
        try trained.save(to: outPath)
        let summary = TrainSummary(model: model, reports: reports, evaluation: evaluation, test: testSet,
                                   out: outPath, threads: Parallelism.threadCount)
        if self.global.json {
            print(try summary.json())
        } else {
            print(summary.text)
        }
    }

    /// The spec named by `--model`: a JSON file, or a built-in architecture sized for the data.
    private func modelSpec(features: Int, classes: Int, regression: Bool) throws -> ModelSpec {
        if self.model.hasSuffix(".json") {
            guard let data = FileManager.default.contents(atPath: (self.model as NSString).expandingTildeInPath) else {
                throw ValidationError("cannot read model spec \(self.model)")
            }
            do {
                return try JSONDecoder().decode(ModelSpec.self, from: data)
            } catch {
                throw ValidationError("model spec \(self.model) is not valid JSON for a ModelSpec: \(error)")
            }
        }
        var spec = try ModelSpec.builtin(self.model, features: features, classes: regression ? 1 : classes,
                                         hidden: self.hidden)
        if regression { spec.loss = .meanSquaredError }
        return spec
    }
}

/// The figures `deai train` prints at the end.
struct TrainSummary: Encodable {
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
    var out: String
    var threads: Int
    var kernels: String

    init(model: Model, reports: [EpochReport], evaluation: Evaluation, test: Dataset, out: String, threads: Int) {
        self.parameters = model.parameterCount
        self.epochs = reports
        self.testSamples = test.count
        self.testLoss = evaluation.loss
        self.out = out
        self.threads = threads
        self.kernels = KernelVariant.current.description
        guard test.isClassification else {
            self.testMeanSquaredError = evaluation.meanSquaredError
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

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
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
