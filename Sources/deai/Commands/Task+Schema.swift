// Task+Schema: a task's table schema made from a reference CSV file (`deai task create --schema-from`).

import DeAICore
import Foundation
import Learning
import Participants

/// The table schema a sponsor publishes with a task: the reference table's columns, categories and classes, with
/// the standardization fitted on its rows, as a blob (``Participants/TaskDataSchema``).
struct TableSchemaFile {
    /// The schema.
    var preparation: TablePreparation
    /// Its blob and the blob's hash.
    var blob: [UInt8]
    var hash: SHA256Digest

    /// Reads `path` as `deai train` reads its data, and fits the schema on every row.
    /// - Throws: `LearningError` naming the file, line and column of what cannot be read; a `CLIError` for a
    ///   target of real numbers (training tasks learn classes).
    init(path: String, target: String?, drop: [String]) throws {
        let table = try CSVTable(contentsOf: (path as NSString).expandingTildeInPath)
        var preparation = try TablePreparation(inferringFrom: table, options: .init(target: target, drop: drop))
        guard preparation.target.task == .classification else {
            throw CLIError("the target '\(preparation.target.name)' of \(path) holds real numbers; training tasks learn classes")
        }
        try preparation.fit(on: table)
        self.preparation = preparation
        self.blob = try TaskDataSchema.blob(of: preparation)
        self.hash = SHA256Digest(hashing: self.blob)
    }

    /// The schema in one line: columns, inputs and classes.
    var summary: String {
        let columns = self.preparation.features.map { column in
            column.kind == .categorical ? "\(column.name) (\(column.categories.count) categories)" : column.name
        }
        return "\(columns.joined(separator: ", ")) → \(self.preparation.inputWidth) inputs; target '"
            + "\(self.preparation.target.name)': \(self.preparation.target.classes.joined(separator: "/"))"
    }
}
