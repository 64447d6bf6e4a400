// TablePreparation+Schema: where a table departs from a preparation used as a task's data schema.

extension TablePreparation {
    /// Where `table` departs from this preparation taken as a schema, one sentence per problem naming the column
    /// and the first line it shows on; empty when the table fits. Problems: a feature or target column missing, a
    /// cell its column cannot hold (text in a number column), a category the schema does not list, a target that
    /// is not one of its classes (or not a number, for regression). Missing cells and extra columns are not
    /// problems: missing cells are imputed, extra columns ignored.
    /// - Complexity: O(cells).
    public func mismatches(in table: CSVTable) -> [String] {
        var problems: [String] = []
        for feature in self.features {
            guard let column = table.columns.firstIndex(of: feature.name) else {
                problems.append("no column '\(feature.name)' (the schema's \(feature.kind.rawValue) column)")
                continue
            }
            var scratch: [Float] = []
            var unseen: [String] = []
            var firstUnseenLine: Int?
            var invalid = false
            for (row, cells) in table.rows.enumerated() {
                scratch.removeAll(keepingCapacity: true)
                switch feature.encode(cells[column], into: &scratch) {
                case .value, .missing:
                    break
                case .unseen:
                    if firstUnseenLine == nil { firstUnseenLine = table.lines[row] }
                    if !unseen.contains(cells[column]) { unseen.append(cells[column]) }
                case .invalid(let reason):
                    if !invalid { problems.append("\(table.name):\(table.lines[row]): column '\(feature.name)': \(reason)") }
                    invalid = true
                }
            }
            if let line = firstUnseenLine {
                problems.append("\(table.name):\(line): column '\(feature.name)': "
                    + "\(unseen.prefix(3).map { "'\($0)'" }.joined(separator: ", "))\(unseen.count > 3 ? ", …" : "") "
                    + "not among the schema's categories (\(feature.categories.joined(separator: ", ")))")
            }
        }
        guard let target = table.columns.firstIndex(of: self.target.name) else {
            return problems + ["no target column '\(self.target.name)'"]
        }
        if let row = table.rows.indices.first(where: { row in
            let cell = table.rows[row][target]
            guard !CSVCell.isMissing(cell) else { return false }
            return self.target.task == .classification
                ? self.target.classIndex(of: cell) == nil : self.target.value(of: cell) == nil
        }) {
            let expected = self.target.task == .classification
                ? "one of the schema's classes (\(self.target.classes.joined(separator: ", ")))" : "a finite number"
            problems.append("\(table.name):\(table.lines[row]): target '\(self.target.name)': "
                + "'\(table.rows[row][target])' is not \(expected)")
        }
        return problems
    }
}
