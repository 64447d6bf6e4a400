// TargetColumn: what a model predicts — classes with their names, or a real value — and how that is inferred.

/// The column a model learns to predict: classes with their names (a text target keeps its labels), or a real
/// value, standardized for training with the training set's mean and deviation.
public struct TargetColumn: Codable, Sendable, Equatable {
    /// The kind of learning problem.
    public enum Task: String, Codable, Sendable, CaseIterable {
        /// Predict one of a fixed set of classes.
        case classification
        /// Predict a real number.
        case regression
    }

    /// The most classes an inferred classification may have.
    public static let inferredClassLimit = 100

    /// The column's name.
    public var name: String
    /// The kind of problem.
    public var task: Task
    /// The class names; class `i` is `classes[i]` (classification only). Numbers are written without a fraction
    /// when whole (`1.0` is class `1`) and sort by value.
    public var classes: [String]
    /// The mean of the training targets (regression only), subtracted before training.
    public var mean: Double
    /// The standard deviation of the training targets (regression only), divided by before training.
    public var deviation: Double

    /// A target column.
    public init(name: String, task: Task, classes: [String] = [], mean: Double = 0, deviation: Double = 1) {
        self.name = name
        self.task = task
        self.classes = classes
        self.mean = mean
        self.deviation = deviation
    }

    /// The class of `cell`, or `nil` when it is missing or not one of ``classes``.
    func classIndex(of cell: String) -> Int? {
        guard !CSVCell.isMissing(cell) else { return nil }
        return self.classes.firstIndex(of: Self.className(cell))
    }

    /// The real value of `cell` (regression), or `nil` when it is missing or not a finite number.
    func value(of cell: String) -> Double? {
        if case .value(let value) = CSVCell.number(cell) { return value }
        return nil
    }

    /// `value` as the model is trained to output it.
    func standardized(_ value: Double) -> Float { Float((value - self.mean) / self.deviation) }

    /// A model output turned back into the target's units.
    public func destandardized(_ output: Float) -> Double { Double(output) * self.deviation + self.mean }

    /// The target of `cells` (the column's cells that are not missing), the task given or inferred.
    ///
    /// Inference: classification when some value is text, or every value is a whole number; regression when
    /// every value is a number and some are not whole. An inference that looks wrong is refused, naming the flag
    /// that overrides it: more than ``inferredClassLimit`` classes, a distinct value in every row (an identifier),
    /// a class held by a single row where the others are common (an odd label), or a few fractions among whole
    /// numbers.
    /// - Throws: ``CellError`` at the cell that shows the problem (index among `cells`).
    static func infer(name: String, cells: [String], task: Task?) throws(CellError) -> TargetColumn {
        guard !cells.isEmpty else { throw CellError(index: nil, reason: "the target has no values") }
        let numbers = cells.map(CSVCell.number)
        if task != .classification, let bad = numbers.firstIndex(of: .outOfRange) {
            throw CellError(index: bad, reason: "\(cells[bad]) is not finite in 32-bit floating point")
        }
        let text = numbers.firstIndex(of: .notANumber)
        let fractions = numbers.indices.filter { if case .value(let v) = numbers[$0] { v != v.rounded() } else { false } }
        switch task {
        case .regression:
            if let text { throw CellError(index: text, reason: "'\(cells[text])' is not a number, and the task is regression") }
            return TargetColumn(name: name, task: .regression)
        case .classification:
            return try Self.classification(name: name, cells: cells, checked: false)
        case nil:
            if text == nil, !fractions.isEmpty {
                let fractional = Set(fractions)
                if fractions.count * 20 < cells.count,
                    Set(cells.indices.filter { !fractional.contains($0) }.map { Self.className(cells[$0]) }).count <= 20
                {
                    throw CellError(index: fractions[0], reason: "\(cells[fractions[0]]) among whole-number labels "
                        + "(\(fractions.count) such of \(cells.count)): fix it, or pass --task regression or --task classification")
                }
                return TargetColumn(name: name, task: .regression)
            }
            return try Self.classification(name: name, cells: cells, checked: true)
        }
    }

    /// A classification over the distinct values of `cells`; `checked` refuses implausible class sets.
    private static func classification(name: String, cells: [String], checked: Bool) throws(CellError) -> TargetColumn {
        var counts: [String: Int] = [:]
        for cell in cells { counts[Self.className(cell), default: 0] += 1 }
        let classes = counts.keys.sorted(by: Self.classOrder)
        guard classes.count >= 2 else {
            throw CellError(index: nil, reason: "only one class ('\(classes.first ?? "")'): there is nothing to learn")
        }
        if checked {
            let override = "pass --task regression, or --task classification if these really are classes"
            if classes.count > Self.inferredClassLimit {
                throw CellError(index: nil, reason: "\(classes.count) distinct values would make \(classes.count) classes; \(override)")
            }
            if cells.count >= 20, classes.count == cells.count {
                throw CellError(index: nil, reason: "every row has its own value, like an identifier; \(override)")
            }
            let common = counts.values.filter { $0 >= 5 }.count
            if cells.count >= 20, common >= 2, let odd = classes.first(where: { counts[$0] == 1 }) {
                let index = cells.firstIndex { Self.className($0) == odd } ?? 0
                throw CellError(index: index, reason: "class '\(odd)' has a single row of \(cells.count): a typo or an "
                    + "odd label? Fix it or drop the row; pass --task regression if the target is a quantity, or "
                    + "--task classification to keep the class")
            }
        }
        return TargetColumn(name: name, task: .classification, classes: classes)
    }

    /// The class name of a cell: a whole number without its fraction (`1.0` → `1`), anything else as written.
    static func className(_ cell: String) -> String {
        if case .value(let value) = CSVCell.number(cell), value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return cell
    }

    /// Numbers before text, numbers by value, text in string order.
    private static func classOrder(_ lhs: String, _ rhs: String) -> Bool {
        switch (CSVCell.number(lhs), CSVCell.number(rhs)) {
        case (.value(let a), .value(let b)): a < b || (a == b && lhs < rhs)
        case (.value, _): true
        case (_, .value): false
        default: lhs < rhs
        }
    }
}
