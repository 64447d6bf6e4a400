// TablePreparation+RawRows: numeric rows as a prediction request carries them, prepared as training prepared its.

extension TablePreparation {
    /// Model inputs from raw numeric rows, as a prediction server receives them (`{"inputs": [[…], …]}`): one
    /// number per feature column, in ``features`` order.
    ///
    /// Each value becomes inputs the way ``encode(_:mode:)`` turns a CSV cell into them, then the inputs are
    /// standardized by the same code as ``prepared(inputs:)``, so a row gives the bits training would have given:
    /// - a numeric column: the number rounded to `Float`;
    /// - a boolean column: 0 (false) or 1 (true), nothing else;
    /// - a categorical column: the category's index in ``FeatureColumn/categories`` (0 for the first), an integer,
    ///   which becomes the one-hot vector of that category.
    ///
    /// Nothing is missing in a raw row: every value must be a finite number its column can hold (there is no
    /// mean imputation here, as JSON has no NaN).
    ///
    /// **Determinism.** Plain IEEE 754 conversions and arithmetic in a fixed order: the same bits on every CPU.
    /// - Parameter rawRows: the rows, each with one value per feature column.
    /// - Returns: `rawRows.count` · ``inputWidth`` inputs, row after row, ready for ``FixedOrderNetwork``.
    /// - Throws: ``LearningError/invalidInput(row:column:reason:)`` naming the row (from 0) and the column, for a
    ///   row of the wrong length or a value its column cannot hold.
    /// - Complexity: O(rows · inputWidth).
    public func preparedInputs(rawRows: [[Double]]) throws -> [Float] {
        var inputs: [Float] = []
        inputs.reserveCapacity(rawRows.count * self.inputWidth)
        for (row, values) in rawRows.enumerated() {
            guard values.count == self.features.count else {
                let names = self.features.map(\.name).joined(separator: ", ")
                throw LearningError.invalidInput(row: row, column: nil, reason: "\(values.count) values, expected one "
                    + "for each of the \(self.features.count) feature columns (\(names))")
            }
            for (feature, value) in zip(self.features, values) {
                guard let reason = feature.appendInputs(of: value, to: &inputs) else { continue }
                throw LearningError.invalidInput(row: row, column: feature.name, reason: reason)
            }
        }
        let raw = Tensor(uncheckedShape: [rawRows.count, self.inputWidth], scalars: inputs)
        return try self.prepared(inputs: raw).scalars
    }
}

extension FeatureColumn {
    /// Appends the inputs of one raw value (see ``TablePreparation/preparedInputs(rawRows:)``) to `inputs`.
    /// - Returns: why the column cannot hold `value`, or `nil` when it was appended.
    fileprivate func appendInputs(of value: Double, to inputs: inout [Float]) -> String? {
        guard value.isFinite else { return "\(value) is not a finite number" }
        switch self.kind {
        case .numeric:
            guard value.magnitude <= Double(Float.greatestFiniteMagnitude) else {
                return "\(value) is not finite in 32-bit floating point"
            }
            inputs.append(Float(value))
        case .boolean:
            guard value == 0 || value == 1 else { return "\(value) is not 0 (false) or 1 (true)" }
            inputs.append(value == 1 ? 1 : 0)  // never −0, which a CSV cell cannot give
        case .categorical:
            guard value >= 0, value < Double(self.categories.count), value.rounded(.towardZero) == value else {
                let named = self.categories.prefix(5).enumerated().map { "\($0) = '\($1)'" }
                return "\(value) is not a category index, 0 to \(self.categories.count - 1) ("
                    + (named + (self.categories.count > 5 ? ["…"] : [])).joined(separator: ", ") + ")"
            }
            let position = Int(value)
            inputs.append(contentsOf: self.categories.indices.map { $0 == position ? 1 : 0 })
        }
        return nil
    }
}
