// TablePreparation: how the rows of a CSV table become model inputs and targets, fitted on training data.

/// How raw CSV rows become model inputs and targets: the feature columns by name with their kinds (numbers,
/// booleans, categories one-hot encoded), the target (classes with names, or a standardized real value), and the
/// training set's standardization, which also imputes missing cells with the training mean.
///
/// It is saved in a model's metadata, so `deai predict` prepares new rows exactly as training did — columns found
/// by name, categories by the training vocabulary — and reports predictions in the target's own terms:
///
/// ```swift
/// var preparation = try TablePreparation(inferringFrom: table, options: .init(target: "species"))
/// let encoded = try preparation.encode(table, mode: .training(missing: .impute))
/// var data = try preparation.dataset(from: encoded)
/// preparation.fit(training: data)
/// data = try preparation.prepared(data)
/// ```
public struct TablePreparation: Codable, Sendable, Equatable {
    /// What to do with a training row that has missing feature cells.
    public enum MissingValues: String, Codable, Sendable, CaseIterable {
        /// Keep it; each missing cell takes the training mean of its inputs.
        case impute
        /// Leave the row out.
        case drop
    }

    /// What the table being encoded is for.
    public enum Mode: Sendable, Equatable {
        /// Training data: a cell a column cannot hold is an error; rows without a target are left out.
        case training(missing: MissingValues)
        /// Data to evaluate or predict: a row with a cell a column cannot hold is left out and counted; a row
        /// whose target is missing or not a known class is kept for prediction but not scored.
        case prediction
    }

    /// The choices that inference cannot make.
    public struct Options: Sendable {
        /// The target column (default: the last column).
        public var target: String?
        /// The task (default: inferred from the target's values).
        public var task: TargetColumn.Task?
        /// Columns that are neither features nor target.
        public var drop: [String]

        /// Options.
        public init(target: String? = nil, task: TargetColumn.Task? = nil, drop: [String] = []) {
            self.target = target
            self.task = task
            self.drop = drop
        }
    }

    /// The feature columns, in input order.
    public var features: [FeatureColumn]
    /// The target.
    public var target: TargetColumn
    /// Standardization of the inputs fitted on the training set (`nil` before ``fit(training:)``).
    public var standardizer: Standardizer?

    /// A preparation.
    public init(features: [FeatureColumn], target: TargetColumn, standardizer: Standardizer? = nil) {
        self.features = features
        self.target = target
        self.standardizer = standardizer
    }

    /// The columns and target that fit `table` (see ``FeatureColumn`` and ``TargetColumn`` for the rules); no
    /// statistics yet.
    /// - Throws: ``LearningError/malformedData(file:line:reason:)`` naming the line and column of the cell that
    ///   rules a column or the inferred task out, or for a table without rows;
    ///   ``LearningError/unknownColumn(name:available:)`` for a target or dropped column that does not exist.
    public init(inferringFrom table: CSVTable, options: Options = Options()) throws {
        guard !table.rows.isEmpty else {
            throw LearningError.malformedData(file: table.name, line: 1, reason: "no data rows after the header")
        }
        let targetIndex = try options.target.map { try table.columnIndex(of: $0) } ?? table.columns.count - 1
        let dropped = Set(try options.drop.map { try table.columnIndex(of: $0) })
        guard !dropped.contains(targetIndex) else {
            throw LearningError.invalidArgument(operation: "TablePreparation",
                                                reason: "the target '\(table.columns[targetIndex])' cannot be dropped")
        }
        let labelled = table.rows.indices.filter { !CSVCell.isMissing(table.rows[$0][targetIndex]) }
        do {
            self.target = try TargetColumn.infer(
                name: table.columns[targetIndex], cells: labelled.map { table.rows[$0][targetIndex] }, task: options.task)
        } catch {
            throw table.error(row: error.index.map { labelled[$0] }, column: targetIndex, error.reason)
        }
        self.features = try table.columns.indices.filter { $0 != targetIndex && !dropped.contains($0) }.map { column in
            do throws(CellError) {
                return try FeatureColumn.infer(name: table.columns[column], cells: table.rows.map { $0[column] })
            } catch {
                throw table.error(row: error.index, column: column, error.reason)
            }
        }
        guard !self.features.isEmpty else {
            throw LearningError.invalidArgument(operation: "TablePreparation", reason: "no feature columns are left")
        }
        self.standardizer = nil
    }

    /// The number of model inputs per row.
    public var inputWidth: Int { self.features.reduce(0) { $0 + $1.width } }

    /// The rows of `table` as inputs and targets, columns found by name.
    /// - Throws: ``LearningError/unknownColumn(name:available:)`` when a feature column is missing from `table`;
    ///   in training mode, ``LearningError/malformedData(file:line:reason:)`` at the first cell a column cannot
    ///   hold, or when no row is left.
    /// - Complexity: O(cells).
    public func encode(_ table: CSVTable, mode: Mode) throws -> EncodedTable {
        let columns = try self.features.map { try table.columnIndex(of: $0.name) }
        let targetColumn = table.columns.firstIndex(of: self.target.name)
        if case .training = mode, targetColumn == nil { _ = try table.columnIndex(of: self.target.name) }
        var encoded = EncodedTable(width: self.inputWidth, featureCount: self.features.count)
        var inputs: [Float] = []
        rows: for (rowIndex, row) in table.rows.enumerated() {
            let line = table.lines[rowIndex]
            inputs.removeAll(keepingCapacity: true)
            var missing: [Int] = []
            var unseen: [Int] = []
            for (feature, column) in zip(self.features.indices, columns) {
                switch self.features[feature].encode(row[column], into: &inputs) {
                case .value: break
                case .missing: missing.append(feature)
                case .unseen: unseen.append(feature)
                case .invalid(let reason):
                    if case .training = mode { throw table.error(row: rowIndex, column: column, reason) }
                    encoded.skipped.append(.init(line: line, reason: "column '\(table.columns[column])': \(reason)"))
                    continue rows
                }
            }
            let target = targetColumn.map { self.targetValue(row[$0]) } ?? nil
            if case .training(let policy) = mode {
                guard target != nil else {
                    encoded.skipped.append(.init(line: line, reason: "no target"))
                    continue
                }
                if policy == .drop, let first = missing.first {
                    encoded.skipped.append(.init(line: line, reason: "missing '\(self.features[first].name)'"))
                    continue
                }
            } else if let targetColumn, target == nil {
                let cell = row[targetColumn]
                encoded.unscored.append(.init(line: line, reason: CSVCell.isMissing(cell)
                    ? "no target" : "target '\(cell)' is not \(self.target.task == .classification ? "a known class" : "a finite number")"))
            }
            for feature in missing { encoded.missingCells[feature] += 1 }
            for feature in unseen { encoded.unseenCells[feature] += 1 }
            encoded.append(inputs: inputs, target: target, line: line)
        }
        if case .training = mode, encoded.count == 0 {
            throw LearningError.malformedData(file: table.name, line: 1, reason: "no rows left to train on "
                + "(\(encoded.skipped.count) skipped, the first at line \(encoded.skipped.first?.line ?? 1): "
                + "\(encoded.skipped.first?.reason ?? "no data"))")
        }
        return encoded
    }

    /// A cell's target: the class index, or the real value; `nil` when missing or unusable.
    private func targetValue(_ cell: String) -> Double? {
        switch self.target.task {
        case .classification: self.target.classIndex(of: cell).map(Double.init)
        case .regression: self.target.value(of: cell)
        }
    }

    /// The scored rows of `encoded` as a data set in the target's units, inputs not yet standardized.
    /// - Throws: a shape error only if `encoded` was not made by ``encode(_:mode:)`` of this preparation.
    public func dataset(from encoded: EncodedTable) throws -> Dataset {
        let scored = encoded.targets.indices.filter { encoded.targets[$0] != nil }
        var scalars: [Float] = []
        scalars.reserveCapacity(scored.count * encoded.width)
        for row in scored { scalars += encoded.features[row * encoded.width..<(row + 1) * encoded.width] }
        let features = try Tensor(shape: [scored.count, encoded.width], scalars: scalars)
        let targets = scored.map { encoded.targets[$0]! }
        switch self.target.task {
        case .classification:
            return try Dataset(features: features, labels: targets.map { Int($0) }, classCount: self.target.classes.count)
        case .regression:
            return try Dataset(features: features, targets: targets.map { Float($0) })
        }
    }

    /// Every row of `encoded` as inputs, scored or not (what prediction runs on), not yet standardized.
    public func inputs(of encoded: EncodedTable) -> Tensor {
        Tensor(uncheckedShape: [encoded.count, encoded.width], scalars: encoded.features)
    }

    /// Fits the inputs' standardization (and imputation) and, for regression, the target's scale on `training`.
    public mutating func fit(training: Dataset) {
        self.standardizer = Standardizer(fitting: training)
        guard self.target.task == .regression, training.count > 0 else { return }
        let values = training.targets.map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        self.target.mean = mean
        self.target.deviation = variance.isFinite && variance > 0 ? variance.squareRoot() : 1
    }

    /// Fits the statistics on every row of `table` (a reference table, such as a task's schema is made from), its
    /// missing cells imputed.
    /// - Throws: what ``encode(_:mode:)`` throws in training mode.
    public mutating func fit(on table: CSVTable) throws {
        self.fit(training: try self.dataset(from: try self.encode(table, mode: .training(missing: .impute))))
    }

    /// `data` (made by ``dataset(from:)``) standardized, missing inputs imputed, regression targets scaled.
    /// - Throws: a shape error when `data` does not have ``inputWidth`` inputs.
    public func prepared(_ data: Dataset) throws -> Dataset {
        var result = try self.standardizer?.apply(to: data) ?? data
        if self.target.task == .regression {
            result.targets = data.targets.map { self.target.standardized(Double($0)) }
        }
        return result
    }

    /// Raw inputs (from ``inputs(of:)``) standardized and imputed.
    /// - Throws: a shape error when `inputs` does not have ``inputWidth`` columns.
    public func prepared(inputs: Tensor) throws -> Tensor {
        guard let standardizer = self.standardizer else { return inputs }
        let rows = inputs.shape.first ?? 0
        let data = try Dataset(features: inputs, targets: [Float](repeating: 0, count: rows))
        return try standardizer.apply(to: data).features
    }
}

/// A table's rows as model inputs: `NaN` where a cell was missing or an unseen category, to be imputed.
public struct EncodedTable: Sendable {
    /// A row left out or not scored, and why.
    public struct RowNote: Codable, Sendable, Equatable {
        /// The line of the file.
        public var line: Int
        /// Why.
        public var reason: String

        /// A note on the row at `line`.
        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    /// The inputs, row by row, ``width`` per row.
    public private(set) var features: [Float] = []
    /// The inputs per row.
    public let width: Int
    /// Each row's target (class index or real value), `nil` when it has none.
    public private(set) var targets: [Double?] = []
    /// The line of the file each row came from.
    public private(set) var lines: [Int] = []
    /// Missing cells per feature column.
    public internal(set) var missingCells: [Int]
    /// Categories not seen in training, per feature column.
    public internal(set) var unseenCells: [Int]
    /// Rows left out.
    public internal(set) var skipped: [RowNote] = []
    /// Rows kept for prediction whose target could not be scored.
    public internal(set) var unscored: [RowNote] = []

    init(width: Int, featureCount: Int) {
        self.width = width
        self.missingCells = Array(repeating: 0, count: featureCount)
        self.unseenCells = Array(repeating: 0, count: featureCount)
    }

    /// The number of rows kept.
    public var count: Int { self.lines.count }

    mutating func append(inputs: [Float], target: Double?, line: Int) {
        self.features += inputs
        self.targets.append(target)
        self.lines.append(line)
    }
}
