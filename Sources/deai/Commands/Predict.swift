// `deai predict`: runs a model written by `deai train` (or a PyTorch one, with --spec) on a CSV file.

import ArgumentParser
import Foundation
import Learning

/// `deai predict --model FILE --data FILE [--spec FILE] [--proba] [--json]`
///
/// Prepares the rows as at training (columns by name, the training categories, imputation and standardization),
/// prints one prediction per row — a class by its name, or a value in the target's units — and, when the file has
/// the target column, the accuracy or MSE over the rows whose target is usable. A row with a cell its column cannot
/// hold is left out, and rows left out or not scored are counted with their lines, so one odd row never skews the
/// figures.
struct PredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict with a model written by `deai train`, or a PyTorch model with --spec."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The model file (safetensors) written by `deai train`, or by PyTorch with --spec.") var model: String
    @Option(help: "Data: CSV with a header row holding the training feature columns ('-' reads standard input).")
    var data: String
    @Option(help: "A JSON file {\"model\": spec, \"preparation\": …} for a safetensors file not written by deai.")
    var spec: String?
    @Flag(help: "Also print each class's probability.") var proba = false
    @Option(help: "Kernel threads (default: all cores).") var threads: Int?

    func validate() throws {
        if let threads = self.threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() async throws {
        try Parallelism.$threadCount.withValue(self.threads ?? Parallelism.threadCount) {
            let trained = try TrainedModel.load(from: (self.model as NSString).expandingTildeInPath,
                                                description: try self.description())
            let table = try CSVTable(contentsOf: (self.data as NSString).expandingTildeInPath)
            let result = try Prediction(model: trained, table: table, probabilities: self.proba)
            if self.global.json {
                try Output.printJSON(result, snakeCase: true)
            } else {
                result.printForPeople()
            }
        }
    }

    /// The `--spec` file, decoded.
    private func description() throws -> TrainedModel.Description? {
        guard let spec = self.spec else { return nil }
        guard let data = FileManager.default.contents(atPath: (spec as NSString).expandingTildeInPath) else {
            throw ValidationError("cannot read --spec \(spec)")
        }
        do {
            return try JSONDecoder().decode(TrainedModel.Description.self, from: data)
        } catch {
            throw ValidationError("--spec \(spec) is not a {\"model\": …, \"preparation\": …} document: \(error)")
        }
    }
}
