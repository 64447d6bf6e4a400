// RoleData: a role's CSV file, read at start and shaped for its task once the task is known.

import Foundation
public import Learning

/// A role's private CSV file: read when the node starts (so that a missing or malformed file refuses the start),
/// and turned into the task model's inputs once the task is known — by the task's table schema when it publishes
/// one (``TaskDataSchema``: columns by name, the task's categories, classes and standardization), else as a table
/// of numbers whose target value is the class.
public struct RoleData: Sendable {
    /// The file.
    public let path: String
    /// Its cells.
    public let table: CSVTable
    /// The target column; `nil` takes the schema's, or the last column.
    public let targetColumn: String?

    /// Reads `path`.
    /// - Throws: ``Learning/LearningError``: the file cannot be read or parsed, has no rows, or lacks
    ///   `targetColumn`.
    public init(path: String, targetColumn: String?) throws {
        let table = try CSVTable(contentsOf: path)
        guard !table.rows.isEmpty else {
            throw LearningError.malformedData(file: table.name, line: 1, reason: "no data rows after the header")
        }
        if let targetColumn { _ = try table.columnIndex(of: targetColumn) }
        self.path = path
        self.table = table
        self.targetColumn = targetColumn
    }

    /// The role's rows prepared for its task, with what its check of them found: a report that stays on its
    /// machine (the node's log).
    public struct Prepared: Sendable {
        /// The samples, flat (one vector per sample).
        public var dataset: Dataset
        /// Missing cells per column (imputed), the columns without any left out.
        public var missingCells: [String: Int]
        /// Rows per class, by class name (classification).
        public var classCounts: [String: Int]
        /// Rows left out: those without a target.
        public var rowsLeftOut: Int
    }

    /// The rows as the task's model takes them: prepared by `schema` after checking the file against it (with the
    /// schema's standardization, or, for a schema without one, the file's own), or read as numbers without one.
    /// - Throws: ``ParticipantError/dataDoesNotFitSchema(file:problems:)`` listing every mismatch with the schema;
    ///   ``Learning/LearningError`` for a file that is not all numbers when the task has no schema.
    public func prepared(schema: TablePreparation?) throws -> Prepared {
        guard var schema else {
            let dataset = try self.table.dataset(target: self.targetColumn)
            return Prepared(dataset: dataset, missingCells: [:], classCounts: Self.counts(dataset.labels.map(String.init)),
                            rowsLeftOut: 0)
        }
        if let targetColumn = self.targetColumn, targetColumn != schema.target.name {
            throw ParticipantError.dataDoesNotFitSchema(file: self.path, problems: [
                "the role's target column is '\(targetColumn)', the schema's '\(schema.target.name)'",
            ])
        }
        let problems = schema.mismatches(in: self.table)
        guard problems.isEmpty else { throw ParticipantError.dataDoesNotFitSchema(file: self.path, problems: problems) }
        let encoded = try schema.encode(self.table, mode: .training(missing: .impute))
        let data = try schema.dataset(from: encoded)
        if schema.standardizer == nil { schema.fit(training: data) }
        var missing: [String: Int] = [:]
        for (feature, count) in zip(schema.features, encoded.missingCells) where count > 0 { missing[feature.name] = count }
        let classes = schema.target.classes
        return Prepared(dataset: try schema.prepared(data), missingCells: missing,
                        classCounts: Self.counts(data.labels.map { classes[$0] }), rowsLeftOut: encoded.skipped.count)
    }

    /// How many times each name occurs.
    private static func counts(_ names: [String]) -> [String: Int] {
        names.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }
}
