// Infer+Rows: the rows `deai infer` sends, read from a CSV file, and what it prints.

import APITypes
import DeAICore
import Foundation
import Learning
import Ledger

/// Raw feature rows read from a CSV table: every column but the one left out, each cell a number.
struct InferRows {
    /// The rows.
    var values: [[Double]]
    /// The line of each row in the file.
    var lines: [Int]

    /// The rows of `path` ('-' for standard input) without column `leftOut`, each `width` numbers.
    /// - Throws: ``CLIError`` naming the file, the line and the column of a cell that is not a number, or the
    ///   width the model wants.
    static func read(_ path: String, leavingOut leftOut: String?, width: Int) throws -> InferRows {
        let table: CSVTable
        do { table = try CSVTable(contentsOf: (path as NSString).expandingTildeInPath) } catch { throw CLIError("\(error)") }
        let kept = table.columns.indices.filter { table.columns[$0] != leftOut }
        if let leftOut, kept.count == table.columns.count { throw CLIError("\(path) has no column '\(leftOut)'") }
        guard kept.count == width else {
            throw CLIError("\(path) has \(kept.count) feature columns; the model takes \(width) (leave the label out with --target)")
        }
        var values: [[Double]] = []
        for (index, row) in table.rows.enumerated() {
            values.append(try kept.map { column in
                guard let value = Double(row[column].trimmingCharacters(in: .whitespaces)), value.isFinite else {
                    throw CLIError("\(path), line \(index + 2), column '\(table.columns[column])': '\(row[column])' is not a number")
                }
                return value
            })
        }
        guard !values.isEmpty else { throw CLIError("\(path) has no rows") }
        return InferRows(values: values, lines: values.indices.map { $0 + 2 })
    }
}

/// What `deai infer` prints: a prediction per row, the receipts' server, and what was paid on which channel.
struct InferResult: Encodable {
    /// One row's answer.
    struct Row: Encodable {
        var line: Int
        var prediction: Int
        var label: String?
        var probability: Float
    }

    var model: String
    var rows: [Row]
    var server: Address?
    var channel: UInt64?
    var paid: Amount
    /// What `--verify` found.
    var verification: AnswerVerifier.Outcome?

    init(model: String, lines: [Int], answers: [PredictResponse], channel: UInt64?, paid: Amount) {
        self.model = model
        var rows: [Row] = []
        for answer in answers {
            for (index, prediction) in answer.classes.enumerated() {
                let probabilities = answer.probabilities[index]
                rows.append(Row(
                    line: lines[rows.count], prediction: prediction, label: answer.labels?[index],
                    probability: prediction < probabilities.count ? probabilities[prediction] : 0))
            }
        }
        self.rows = rows
        self.server = answers.first?.receipt.server.address
        self.channel = channel
        self.paid = paid
    }

    func printForPeople() {
        for row in self.rows {
            print("line \(row.line): \(row.label ?? String(row.prediction)) (p = \(String(format: "%.3f", row.probability)))")
        }
        let payment = self.channel.map { "; paid \(self.paid) through channel \($0)" } ?? " for free"
        print("\(self.rows.count) rows answered by model \(self.model) of \(self.server.map(\.description) ?? "?")\(payment).")
        if let check = self.verification {
            print("Verified \(check.checked) answers: \(check.confirmed) re-executed to the signed output, \(check.reported) proven forged on chain.")
            for problem in check.problems { print("  \(problem)") }
        }
    }
}
