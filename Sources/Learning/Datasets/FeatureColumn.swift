// FeatureColumn: one input column of a table, its kind and how its cells become model inputs.

/// One feature column of a table and how its cells become model inputs: a number as itself, a boolean as 0 or 1,
/// a category as a one-hot vector over the categories seen in training. A missing cell, and a category not seen
/// in training, become `NaN` inputs, which ``Standardizer`` replaces by the training mean.
public struct FeatureColumn: Codable, Sendable, Equatable {
    /// What a column holds.
    public enum Kind: String, Codable, Sendable {
        /// Numbers.
        case numeric
        /// `true`/`false` or `yes`/`no`.
        case boolean
        /// Text labels from a fixed vocabulary, one-hot encoded.
        case categorical
    }

    /// What encoding one cell gave.
    public enum Outcome: Equatable, Sendable {
        /// A value.
        case value
        /// A missing cell.
        case missing
        /// A category not seen in training.
        case unseen
        /// A cell this column cannot hold, and why.
        case invalid(String)
    }

    /// The most categories a text column may have, and the most per row of the table (a column with a distinct
    /// text in most rows is a name or an identifier, not a category).
    public static let categoryLimit = 1_000

    /// The column's name.
    public var name: String
    /// What it holds.
    public var kind: Kind
    /// The categories, in one-hot order (categorical columns only).
    public var categories: [String]

    /// A feature column.
    public init(name: String, kind: Kind, categories: [String] = []) {
        self.name = name
        self.kind = kind
        self.categories = categories
    }

    /// The number of model inputs the column becomes.
    public var width: Int { self.kind == .categorical ? self.categories.count : 1 }

    /// The column that fits `cells`: numeric when every cell that is not missing is a number, boolean when every
    /// one is a boolean, categorical otherwise (its categories sorted).
    /// - Throws: ``CellError`` at the first cell that rules the column out — a number beyond `Float`'s range, a
    ///   lone text among numbers (a typo) — or for the column, with too many distinct texts to be categories.
    static func infer(name: String, cells: [String]) throws(CellError) -> FeatureColumn {
        var numbers = 0
        var present = 0
        var firstText: Int?
        var boolean = true
        for (index, cell) in cells.enumerated() where !CSVCell.isMissing(cell) {
            present += 1
            switch CSVCell.number(cell) {
            case .value:
                numbers += 1
                boolean = false
            case .outOfRange: throw CellError(index: index, reason: "\(cell) is not finite in 32-bit floating point")
            case .notANumber:
                firstText = firstText ?? index
                if CSVCell.boolean(cell) == nil { boolean = false }
            }
        }
        guard let firstText else { return FeatureColumn(name: name, kind: .numeric) }
        if boolean { return FeatureColumn(name: name, kind: .boolean) }
        // A number column with a typo would otherwise become categories, every number a category of its own.
        if present >= 10, numbers * 10 >= present * 9 {
            throw CellError(index: firstText, reason: "'\(cells[firstText])' is not a number, though \(numbers) of the "
                + "column's \(present) cells are: fix it, mark it missing (NA), or leave the column out with --drop '\(name)'")
        }
        let categories = Set(cells.filter { !CSVCell.isMissing($0) }).sorted()
        if categories.count > Self.categoryLimit || (cells.count >= 50 && categories.count * 2 > cells.count) {
            throw CellError(index: nil, reason: "\(categories.count) distinct texts in \(cells.count) rows: a name, an "
                + "identifier or free text, not a category; leave the column out with --drop '\(name)'")
        }
        return FeatureColumn(name: name, kind: .categorical, categories: categories)
    }

    /// Appends the inputs of `cell` to `inputs` (``width`` of them) and says what the cell was.
    func encode(_ cell: String, into inputs: inout [Float]) -> Outcome {
        if CSVCell.isMissing(cell) {
            inputs.append(contentsOf: repeatElement(.nan, count: self.width))
            return .missing
        }
        switch self.kind {
        case .numeric:
            switch CSVCell.number(cell) {
            case .value(let value):
                inputs.append(Float(value))
                return .value
            case .outOfRange:
                inputs.append(.nan)
                return .invalid("\(cell) is not finite in 32-bit floating point")
            case .notANumber:
                inputs.append(.nan)
                return .invalid("'\(cell)' is not a number")
            }
        case .boolean:
            guard let value = CSVCell.boolean(cell) else {
                inputs.append(.nan)
                return .invalid("'\(cell)' is not a boolean (true/false, yes/no)")
            }
            inputs.append(value ? 1 : 0)
            return .value
        case .categorical:
            guard let position = Self.position(of: cell, in: self.categories) else {
                inputs.append(contentsOf: repeatElement(.nan, count: self.width))
                return .unseen
            }
            inputs.append(contentsOf: self.categories.indices.map { $0 == position ? 1 : 0 })
            return .value
        }
    }

    /// The index of `value` in the sorted `categories`.
    private static func position(of value: String, in categories: [String]) -> Int? {
        var low = 0
        var high = categories.count
        while low < high {
            let middle = (low + high) / 2
            if categories[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < categories.count && categories[low] == value ? low : nil
    }
}

/// A cell that rules a column out — its row among the cells given, or `nil` for the column as a whole — and why.
struct CellError: Error {
    var index: Int?
    var reason: String
}
