// `deai predict`: runs a model written by `deai train` on a CSV file.

import ArgumentParser
import Foundation
import Learning

/// `deai predict --model FILE --data FILE`
///
/// Prepares the rows as at training (same feature columns, training standardization), prints one prediction per
/// row, and the accuracy when the file has the target column.
struct PredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict with a model written by `deai train`."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The model file written by `deai train` (safetensors).") var model: String
    @Option(help: "Data: CSV with a header row holding the training feature columns.") var data: String
    @Option(help: "Kernel threads (default: all cores).") var threads: Int?

    func validate() throws {
        if let threads = self.threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() async throws {
        try Parallelism.$threadCount.withValue(self.threads ?? Parallelism.threadCount) {
            let trained = try TrainedModel.load(from: (self.model as NSString).expandingTildeInPath)
            let table = try CSVTable(contentsOf: (self.data as NSString).expandingTildeInPath)
            let dataset = try trained.dataset(from: table)
            let hasTarget = table.columns.contains(trained.preparation.targetColumn)
            let result: PredictResult
            if trained.model.spec.loss == .meanSquaredError {
                let outputs = try trained.model.outputs(dataset.features).scalars
                let width = outputs.count / max(dataset.count, 1)
                let values = (0..<dataset.count).map { outputs[$0 * width] }
                result = PredictResult(predictions: values.map { Double($0) }, accuracy: nil,
                                       meanSquaredError: hasTarget ? ClassificationMetrics.meanSquaredError(values, dataset.targets) : nil)
            } else {
                let classes = try trained.model.predictClasses(dataset.features)
                result = PredictResult(predictions: classes.map(Double.init),
                                       accuracy: hasTarget ? ClassificationMetrics.accuracy(classes, dataset.labels) : nil,
                                       meanSquaredError: nil)
            }
            if self.global.json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(result), as: UTF8.self))
            } else {
                for value in result.predictions {
                    print(value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value))
                }
                if let accuracy = result.accuracy {
                    FileHandle.standardError.write(Data(String(format: "accuracy %.2f%% on %d rows\n", accuracy * 100,
                                                                dataset.count).utf8))
                }
                if let mse = result.meanSquaredError {
                    FileHandle.standardError.write(Data(String(format: "MSE %.4f on %d rows\n", mse, dataset.count).utf8))
                }
            }
        }
    }
}

/// What `deai predict --json` prints.
struct PredictResult: Encodable {
    var predictions: [Double]
    var accuracy: Double?
    var meanSquaredError: Double?
}
