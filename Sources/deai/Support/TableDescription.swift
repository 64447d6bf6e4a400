// TableDescription: what was read from a CSV table and how — target, task, classes, columns, imputed cells.

import Learning

/// What `deai train` (and the devnet's owners, on their own data) tell a person about a table before training:
/// the target and the task with its classes, each column's kind, the cells imputed and the rows left out. Nothing
/// in it leaves the machine.
struct TableDescription: Encodable {
    /// One feature column.
    struct Column: Encodable {
        var name: String
        var kind: String
        var categories: [String]?
        var missing: Int
    }

    var file: String
    var rows: Int
    var rowsUsed: Int
    var target: String
    var task: String
    var classes: [String]?
    /// Rows of each class, in ``classes`` order.
    var classCounts: [Int]?
    var columns: [Column]
    var skipped: [EncodedTable.RowNote]

    init(table: CSVTable, preparation: TablePreparation, encoded: EncodedTable) {
        self.file = table.name
        self.rows = table.rows.count
        self.rowsUsed = encoded.count
        self.target = preparation.target.name
        self.task = preparation.target.task.rawValue
        if preparation.target.task == .classification {
            self.classes = preparation.target.classes
            var counts = [Int](repeating: 0, count: preparation.target.classes.count)
            for target in encoded.targets { if let target { counts[Int(target)] += 1 } }
            self.classCounts = counts
        }
        self.columns = zip(preparation.features, encoded.missingCells).map { feature, missing in
            Column(name: feature.name, kind: feature.kind.rawValue,
                   categories: feature.kind == .categorical ? feature.categories : nil, missing: missing)
        }
        self.skipped = encoded.skipped
    }

    /// The description as lines for people.
    var lines: [String] {
        var lines = ["data: \(self.file), \(self.rows) rows, \(self.rowsUsed) used"]
        if let classes = self.classes, let counts = self.classCounts {
            let listed = zip(classes, counts).prefix(12).map { "\($0) (\($1))" }.joined(separator: ", ")
            lines.append("target: '\(self.target)', classification, \(classes.count) classes: \(listed)"
                + (classes.count > 12 ? ", …" : ""))
        } else {
            lines.append("target: '\(self.target)', regression")
        }
        let kinds = self.columns.map { column in
            column.kind == "categorical" ? "\(column.name) (\(column.categories?.count ?? 0) categories)" : column.name
        }
        lines.append("features: \(kinds.joined(separator: ", "))")
        let missing = self.columns.filter { $0.missing > 0 }
        if !missing.isEmpty {
            lines.append("missing cells, imputed with the training mean: "
                + missing.map { "\($0.name) \($0.missing)" }.joined(separator: ", "))
        }
        if let first = self.skipped.first {
            lines.append("rows left out: \(self.skipped.count) (first: line \(first.line), \(first.reason))")
        }
        return lines
    }
}
