// CSVTable+Numbers: an all-numeric table as a data set, the target's value being the class.

extension CSVTable {
    /// A data set from a table whose every cell is a number: `target` as the target column (default: the last
    /// column), every other column a feature, in order. Classification, a class being the target's value, when
    /// every target value is an integer in `0..<1,000,000` and `regression` is false; regression otherwise.
    ///
    /// This is the reader of the devnet's data sets and of trainers' shards, where the task fixes what a class
    /// number means. Tables with text, booleans or missing cells go through ``TablePreparation``.
    /// - Throws: ``LearningError/unknownColumn(name:available:)``; ``LearningError/malformedData(file:line:reason:)``
    ///   naming the line and column of a cell that is not a finite number.
    /// - Complexity: O(cells).
    public func dataset(target: String? = nil, regression: Bool = false) throws -> Dataset {
        let targetIndex = try target.map { try self.columnIndex(of: $0) } ?? self.columns.count - 1
        let width = self.columns.count - 1
        var scalars: [Float] = []
        scalars.reserveCapacity(self.rows.count * width)
        var values: [Double] = []
        values.reserveCapacity(self.rows.count)
        for (rowIndex, row) in self.rows.enumerated() {
            for (column, text) in row.enumerated() {
                let value = try self.number(row: rowIndex, column: column, text)
                if column == targetIndex { values.append(value) } else { scalars.append(Float(value)) }
            }
        }
        let features = Tensor(uncheckedShape: [self.rows.count, width], scalars: scalars)
        let integral = values.allSatisfy { $0 >= 0 && $0 == $0.rounded() && $0 < 1e6 }
        if integral && !regression {
            return try Dataset(features: features, labels: values.map { Int($0) })
        }
        return try Dataset(features: features, targets: values.map { Float($0) })
    }

    /// The cell at `row`, `column` as a finite number.
    private func number(row: Int, column: Int, _ text: String) throws -> Double {
        switch CSVCell.number(text) {
        case .value(let value):
            return value
        case .outOfRange:
            throw self.error(row: row, column: column, "\(text) is not finite in 32-bit floating point")
        case .notANumber:
            let what = CSVCell.isMissing(text) ? "a missing value" : "'\(text)' is not a number"
            throw self.error(row: row, column: column, "\(what) (this reader takes numbers only)")
        }
    }
}
