// CSVTable: numeric CSV files with a header row.

import Foundation

/// A numeric CSV file with a header row, as in `../shared/datasets`.
public struct CSVTable: Sendable {
    /// The column names.
    public var columns: [String]
    /// The values, row by row.
    public var rows: [[Double]]

    /// Parses CSV text: a header row, then rows of numbers separated by commas (quotes around names allowed).
    /// - Parameter name: the file name, for errors.
    /// - Throws: ``LearningError/malformedData(file:line:reason:)``.
    /// - Complexity: O(text length).
    public init(text: String, name: String = "csv") throws {
        var lines = text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).makeIterator()
        guard let header = lines.next() else {
            throw LearningError.malformedData(file: name, line: 1, reason: "empty file")
        }
        self.columns = header.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" \r"))
        }
        self.rows = []
        var lineNumber = 1
        while let line = lines.next() {
            lineNumber += 1
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == self.columns.count else {
                throw LearningError.malformedData(file: name, line: lineNumber,
                                                  reason: "\(fields.count) fields, header has \(self.columns.count)")
            }
            self.rows.append(try fields.map { field in
                guard let value = Double(field.trimmingCharacters(in: .whitespaces)) else {
                    throw LearningError.malformedData(file: name, line: lineNumber, reason: "'\(field)' is not a number")
                }
                return value
            })
        }
    }

    /// Reads and parses a CSV file.
    /// - Throws: ``LearningError/io(path:reason:)`` or ``LearningError/malformedData(file:line:reason:)``.
    public init(contentsOf path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw LearningError.io(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        try self.init(text: text, name: (path as NSString).lastPathComponent)
    }

    /// A data set with `target` as the target column (default: the last column) and every other column as a
    /// feature. Classification when every target value is a non-negative integer and `regression` is false.
    /// - Throws: ``LearningError/unknownColumn(name:available:)``.
    public func dataset(target: String? = nil, regression: Bool = false) throws -> Dataset {
        let targetIndex: Int
        if let target {
            guard let index = self.columns.firstIndex(of: target) else {
                throw LearningError.unknownColumn(name: target, available: self.columns)
            }
            targetIndex = index
        } else {
            targetIndex = self.columns.count - 1
        }
        let width = self.columns.count - 1
        var scalars: [Float] = []
        scalars.reserveCapacity(self.rows.count * width)
        for row in self.rows {
            for (index, value) in row.enumerated() where index != targetIndex { scalars.append(Float(value)) }
        }
        let features = Tensor(uncheckedShape: [self.rows.count, width], scalars: scalars)
        let values = self.rows.map { $0[targetIndex] }
        let integral = values.allSatisfy { $0 >= 0 && $0 == $0.rounded() && $0 < 1e6 }
        if integral && !regression {
            return try Dataset(features: features, labels: values.map { Int($0) })
        }
        return try Dataset(features: features, targets: values.map { Float($0) })
    }
}
