// `deai train`: trains a model on a CSV data set and writes it as safetensors.

import ArgumentParser
import Foundation
import Learning

/// `deai train --data FILE [--test FILE] [--target COL] [--task classification|regression] --model SPEC …`
///
/// Reads a CSV with a header (`-` for standard input): numbers, booleans, text categories (one-hot encoded) and
/// missing cells (imputed with the training mean, or their rows dropped). Prints the target, the task, the classes
/// and what was imputed before training; standardizes with the training statistics (a stratified 75/25 split when
/// no test file is given; a test file's columns are matched by name); trains with a progress bar on stderr; and
/// writes the model (`--out`, safetensors with the spec and the data preparation in its metadata, plus the spec as
/// JSON) only when training converged.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on a CSV data set and write it as safetensors."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Training data: CSV with a header row ('-' reads standard input).") var data: String
    @Option(help: "Test data, columns matched by name (default: a stratified 25% of --data).") var test: String?
    @Option(help: "A model spec (.json file) or a built-in name: logreg, mlp, cnn1d.") var model: String = "mlp"
    @Option(help: "Hidden units of the built-in mlp.") var hidden: Int = 128
    @Option(help: "Target column (default: the last column).") var target: String?
    @Option(help: "classification or regression (default: inferred from the target, and printed).") var task: String?
    @Option(help: "Training rows with missing feature cells: impute (the training mean) or drop.")
    var missing: String = "impute"
    @Option(help: "A column to leave out (repeat for several).") var drop: [String] = []
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
        if let task = self.task, TargetColumn.Task(rawValue: task) == nil {
            throw ValidationError("--task must be classification or regression")
        }
        guard TablePreparation.MissingValues(rawValue: self.missing) != nil else {
            throw ValidationError("--missing must be impute or drop")
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
        let table = try CSVTable(contentsOf: (self.data as NSString).expandingTildeInPath)
        var preparation = try TablePreparation(inferringFrom: table, options: .init(
            target: self.target, task: self.task.flatMap(TargetColumn.Task.init(rawValue:)), drop: self.drop))
        let encoded = try preparation.encode(
            table, mode: .training(missing: TablePreparation.MissingValues(rawValue: self.missing) ?? .impute))
        var trainSet = try preparation.dataset(from: encoded)
        var testSet: Dataset
        var testNotes: [EncodedTable.RowNote] = []
        if let test = self.test {
            let testEncoded = try preparation.encode(
                try CSVTable(contentsOf: (test as NSString).expandingTildeInPath), mode: .prediction)
            testSet = try preparation.dataset(from: testEncoded)
            testNotes = testEncoded.skipped + testEncoded.unscored
            guard testSet.count > 0 else { throw ValidationError("\(test) has no row with a usable target to test on") }
        } else {
            guard trainSet.count >= 4 else {
                throw ValidationError("\(self.data) has \(trainSet.count) usable rows: too few to hold a quarter out "
                    + "for testing (give --test)")
            }
            var generator = Xoshiro256(seed: self.seed)
            (trainSet, testSet) = try trainSet.stratifiedSplit(testFraction: 0.25, using: &generator)
            guard trainSet.count > 0, testSet.count > 0 else {
                throw ValidationError("\(self.data): holding a quarter of each class out leaves \(trainSet.count) rows to "
                    + "train on and \(testSet.count) to test; give --test, or more rows per class")
            }
        }
        preparation.fit(training: trainSet)
        trainSet = try preparation.prepared(trainSet)
        testSet = try preparation.prepared(testSet)
        let description = TableDescription(table: table, preparation: preparation, encoded: encoded)
        if !self.global.json { FileHandle.standardError.write(Data((description.lines.joined(separator: "\n") + "\n").utf8)) }

        let spec = try self.modelSpec(features: preparation.inputWidth, classes: preparation.target.classes.count,
                                      regression: preparation.target.task == .regression)
        trainSet = try trainSet.reshaped(sampleShape: spec.inputShape)
        testSet = try testSet.reshaped(sampleShape: spec.inputShape)
        var model = try Model(spec: spec, seed: self.seed)
        let configuration = TrainingConfiguration(
            epochs: self.epochs, batchSize: self.batch,
            optimizer: OptimizerSpec(kind: OptimizerSpec.Kind(rawValue: self.optimizer) ?? .sgd, learningRate: self.lr,
                                     momentum: self.momentum, weightDecay: self.weightDecay),
            schedule: self.learningRateSchedule, seed: self.seed)
        let progress = TrainingProgressBar(total: self.epochs)
        let reports = try model.train(on: trainSet, configuration: configuration) { report in
            progress.show(report)
            guard report.loss.isFinite else {
                progress.finish()
                throw LearningError.trainingDiverged(epoch: report.epoch, loss: report.loss)
            }
        }
        progress.finish()
        guard model.hasFiniteParameters else {
            throw LearningError.trainingDiverged(epoch: self.epochs, loss: .nan)  // weights no longer finite
        }

        let evaluation = try model.evaluate(on: testSet)
        let outPath = (self.out as NSString).expandingTildeInPath
        try TrainedModel(model: model, preparation: preparation).save(to: outPath)
        let summary = TrainSummary(model: model, target: preparation.target, reports: reports, evaluation: evaluation,
                                   test: testSet, testNotes: testNotes, data: description, out: outPath,
                                   threads: Parallelism.threadCount)
        if self.global.json {
            try Output.printJSON(summary, snakeCase: true)
        } else {
            print(summary.text)
        }
    }

    /// The model named by `--model`: a JSON file, or a built-in architecture sized for the data.
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

