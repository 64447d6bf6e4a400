// Predict+Result: a model's predictions on a table, with the metrics of the rows that can be scored.

import Foundation
import Learning

/// What `deai predict` prints: a prediction per row kept, the metrics over the rows with a usable target, and the
/// rows left out or not scored, by line.
struct Prediction: Encodable {
    /// One row's prediction.
    struct Row: Encodable {
        /// The line of the file.
        var line: Int
        /// The predicted class's name (classification).
        var label: String?
        /// The predicted value in the target's units (regression).
        var value: Double?
        /// Each class's probability, in ``Prediction/classes`` order (with `--proba`).
        var probabilities: [Double]?
    }

    var target: String
    var task: String
    var classes: [String]?
    var predictions: [Row]
    var accuracy: Double?
    var meanSquaredError: Double?
    var scoredRows: Int
    var skipped: [EncodedTable.RowNote]
    var notScored: [EncodedTable.RowNote]
    /// Categories not seen in training, per column (imputed like missing cells).
    var unseenCategories: [String: Int]
    var missingCells: [String: Int]

    /// Runs `trained` on the rows of `table`.
    /// - Throws: `LearningError` when a feature column is missing or no row can be predicted.
    init(model trained: TrainedModel, table: CSVTable, probabilities: Bool) throws {
        let preparation = trained.preparation
        let encoded = try preparation.encode(table, mode: .prediction)
        guard encoded.count > 0 else {
            throw LearningError.malformedData(file: table.name, line: encoded.skipped.first?.line ?? 1, reason:
                "no row can be predicted" + (encoded.skipped.first.map { ": \($0.reason)" } ?? " (the file has no rows)"))
        }
        let inputs = try preparation.prepared(inputs: preparation.inputs(of: encoded))
        let outputs = try trained.model.outputs(try inputs.reshaped([encoded.count] + trained.model.spec.inputShape)).scalars
        let width = outputs.count / encoded.count
        self.target = preparation.target.name
        self.task = preparation.target.task.rawValue
        self.skipped = encoded.skipped
        self.notScored = encoded.unscored
        self.unseenCategories = Self.counts(encoded.unseenCells, preparation)
        self.missingCells = Self.counts(encoded.missingCells, preparation)
        self.predictions = []
        var correct = 0
        var squaredError = 0.0
        var scored = 0
        for row in 0..<encoded.count {
            let output = Array(outputs[row * width..<(row + 1) * width])
            guard output.allSatisfy(\.isFinite) else {
                self.skipped.append(.init(line: encoded.lines[row], reason:
                    "the model's output is not finite (an input far outside the training data?)"))
                continue
            }
            let truth = encoded.targets[row]
            switch preparation.target.task {
            case .classification:
                let distribution = try Self.probabilities(output, loss: trained.model.spec.loss)
                let predicted = distribution.indices.max { distribution[$0] < distribution[$1] } ?? 0
                let label = predicted < preparation.target.classes.count ? preparation.target.classes[predicted] : String(predicted)
                self.predictions.append(Row(line: encoded.lines[row], label: label,
                                            probabilities: probabilities ? distribution : nil))
                if let truth { correct += Int(truth) == predicted ? 1 : 0 }
            case .regression:
                let value = preparation.target.destandardized(output[0])
                self.predictions.append(Row(line: encoded.lines[row], value: value))
                if let truth { squaredError += (value - truth) * (value - truth) }
            }
            if truth != nil { scored += 1 }
        }
        self.scoredRows = scored
        if preparation.target.task == .classification {
            self.classes = preparation.target.classes
            if scored > 0 { self.accuracy = Double(correct) / Double(scored) }
        } else if scored > 0 {
            self.meanSquaredError = squaredError / Double(scored)
        }
    }

    /// Class probabilities from a row's outputs: softmax of the logits, or the sigmoid of one binary logit.
    private static func probabilities(_ logits: [Float], loss: ModelSpec.Loss) throws -> [Double] {
        if loss == .binaryCrossEntropy, logits.count == 1 {
            let positive = 1 / (1 + exp(-Double(logits[0])))
            return [1 - positive, positive]
        }
        return Softmax.softmax(try Tensor(shape: [1, logits.count], scalars: logits)).scalars.map(Double.init)
    }

    /// The nonzero `counts` by feature column name.
    private static func counts(_ counts: [Int], _ preparation: TablePreparation) -> [String: Int] {
        var result: [String: Int] = [:]
        for (feature, count) in zip(preparation.features, counts) where count > 0 { result[feature.name] = count }
        return result
    }

    /// One prediction per line on stdout (with `--proba`, a header and each class's probability after it); the
    /// metrics and the rows left out on stderr.
    func printForPeople() {
        if let classes = self.classes, self.predictions.first?.probabilities != nil {
            print((["prediction"] + classes).joined(separator: ","))
        }
        for row in self.predictions {
            var fields = [row.label ?? row.value.map { String($0) } ?? ""]
            fields += (row.probabilities ?? []).map { String(format: "%.4f", $0) }
            print(fields.joined(separator: ","))
        }
        var notes: [String] = []
        if let accuracy = self.accuracy { notes.append(String(format: "accuracy %.2f%% on %d rows", accuracy * 100, self.scoredRows)) }
        if let mse = self.meanSquaredError { notes.append(String(format: "MSE %.4f on %d rows", mse, self.scoredRows)) }
        if let first = self.skipped.first {
            notes.append("left out: \(self.skipped.count) rows (first: line \(first.line), \(first.reason))")
        }
        if let first = self.notScored.first {
            notes.append("not scored: \(self.notScored.count) rows (first: line \(first.line), \(first.reason))")
        }
        for (column, count) in self.unseenCategories.sorted(by: { $0.key < $1.key }) {
            notes.append("column '\(column)': \(count) categories not seen in training, imputed")
        }
        for (column, count) in self.missingCells.sorted(by: { $0.key < $1.key }) {
            notes.append("column '\(column)': \(count) missing cells, imputed")
        }
        if !notes.isEmpty { FileHandle.standardError.write(Data((notes.joined(separator: "\n") + "\n").utf8)) }
    }
}
