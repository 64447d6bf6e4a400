// CSVTable: CSV files with a header row, read as text cells with the line each row starts on.

import Foundation

/// A CSV file with a header row: every cell as text, and the line of the file each row starts on, so that every
/// later error can name the file, the line and the column.
///
/// The format is RFC 4180's: fields separated by commas, optionally quoted with `"` (a quoted field may hold commas,
/// line breaks and doubled quotes `""`); lines end in LF, CRLF or CR; blank lines are skipped (and still counted).
/// Unquoted cells are trimmed of spaces and tabs. Column names must be unique.
///
/// ```swift
/// let table = try CSVTable(contentsOf: "patients.csv")   // "-" reads standard input
/// let age = try table.columnIndex(of: "age")
/// for (row, line) in zip(table.rows, table.lines) { print(line, row[age]) }
/// ```
public struct CSVTable: Sendable {
    /// The file name errors name.
    public var name: String
    /// The column names.
    public var columns: [String]
    /// The cells, row by row; every row has one cell per column.
    public var rows: [[String]]
    /// The line of the file each row starts on (the header is line 1).
    public var lines: [Int]

    /// A table of given cells (for tables built in memory).
    /// - Throws: ``LearningError/malformedData(file:line:reason:)`` for duplicate column names or a row of the
    ///   wrong width.
    public init(name: String, columns: [String], rows: [[String]], lines: [Int]? = nil) throws {
        self.name = name
        self.columns = columns
        self.rows = rows
        self.lines = lines ?? rows.indices.map { $0 + 2 }
        try Self.checkColumns(columns, file: name)
        for (row, line) in zip(rows, self.lines) where row.count != columns.count {
            throw LearningError.malformedData(
                file: name, line: line, reason: "\(row.count) fields, the header has \(columns.count)")
        }
    }

    /// Parses CSV text.
    /// - Parameter name: the file name, for errors.
    /// - Throws: ``LearningError/malformedData(file:line:reason:)`` for an empty file, duplicate column names, a row
    ///   whose field count differs from the header's, or a quote left open.
    /// - Complexity: O(text length).
    public init(text: String, name: String = "csv") throws {
        var parser = CSVParser(text: text, file: name)
        guard let header = try parser.nextRecord() else {
            throw LearningError.malformedData(file: name, line: 1, reason: "empty file: expected a header row")
        }
        var rows: [[String]] = []
        var lines: [Int] = []
        while let record = try parser.nextRecord() {
            guard record.fields.count == header.fields.count else {
                throw LearningError.malformedData(
                    file: name, line: record.line,
                    reason: "\(record.fields.count) fields, the header has \(header.fields.count)")
            }
            rows.append(record.fields)
            lines.append(record.line)
        }
        try self.init(name: name, columns: header.fields, rows: rows, lines: lines)
    }

    /// Reads and parses a CSV file; the path `-` reads standard input.
    /// - Throws: ``LearningError/io(path:reason:)`` or ``LearningError/malformedData(file:line:reason:)``.
    public init(contentsOf path: String) throws {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw LearningError.io(path: path, reason: "cannot read the file")
            }
            data = contents
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LearningError.io(path: path, reason: "not UTF-8 text")
        }
        try self.init(text: text, name: path == "-" ? "<stdin>" : (path as NSString).lastPathComponent)
    }

    /// The index of the column named `name`.
    /// - Throws: ``LearningError/unknownColumn(name:available:)``.
    public func columnIndex(of name: String) throws -> Int {
        guard let index = self.columns.firstIndex(of: name) else {
            throw LearningError.unknownColumn(name: name, available: self.columns)
        }
        return index
    }

    /// The table with only the rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> CSVTable {
        var result = self
        result.rows = indices.map { self.rows[$0] }
        result.lines = indices.map { self.lines[$0] }
        return result
    }

    /// An error at row `row` (`nil`: the column as a whole, named on the header's line), column `column`.
    func error(row: Int?, column: Int, _ reason: String) -> LearningError {
        .malformedData(file: self.name, line: row.map { self.lines[$0] } ?? 1, reason: "column '\(self.columns[column])': \(reason)")
    }

    private static func checkColumns(_ columns: [String], file: String) throws {
        var seen: [String: Int] = [:]
        for (index, column) in columns.enumerated() {
            if let first = seen[column] {
                throw LearningError.malformedData(
                    file: file, line: 1,
                    reason: "column name '\(column)' appears twice (columns \(first + 1) and \(index + 1)); "
                        + "names must be unique, since columns are matched by name")
            }
            seen[column] = index
        }
    }
}

/// Splits CSV text into records, counting lines.
private struct CSVParser {
    private let scalars: [Unicode.Scalar]
    private let file: String
    private var position = 0
    private var line = 1

    init(text: String, file: String) {
        self.scalars = Array(text.unicodeScalars)
        self.file = file
    }

    /// The next non-blank record and the line it starts on, or `nil` at the end.
    mutating func nextRecord() throws -> (fields: [String], line: Int)? {
        while self.position < self.scalars.count {
            let start = self.line
            let fields = try self.record()
            if fields.count == 1, fields[0].isEmpty { continue }  // a blank line
            return (fields, start)
        }
        return nil
    }

    /// Reads one record up to and including its line break.
    private mutating func record() throws -> [String] {
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var quoted = false
        while self.position < self.scalars.count {
            let scalar = self.scalars[self.position]
            self.position += 1
            switch scalar {
            case "\"" where field.allSatisfy({ $0 == " " || $0 == "\t" }) && !quoted:
                field = try self.quotedField()
                quoted = true
            case ",":
                fields.append(Self.finish(field, quoted: quoted))
                (field, quoted) = (String.UnicodeScalarView(), false)
            case "\n", "\r":
                if scalar == "\r", self.position < self.scalars.count, self.scalars[self.position] == "\n" {
                    self.position += 1
                }
                self.line += 1
                fields.append(Self.finish(field, quoted: quoted))
                return fields
            default:
                field.append(scalar)
            }
        }
        fields.append(Self.finish(field, quoted: quoted))
        return fields
    }

    /// Reads a quoted field after its opening quote, up to and including its closing quote.
    private mutating func quotedField() throws -> String.UnicodeScalarView {
        let opened = self.line
        var field = String.UnicodeScalarView()
        while self.position < self.scalars.count {
            let scalar = self.scalars[self.position]
            self.position += 1
            if scalar == "\"" {
                guard self.position < self.scalars.count, self.scalars[self.position] == "\"" else {
                    // Spaces between the closing quote and the separator are not part of the field.
                    while let next = self.scalars[safe: self.position], next == " " || next == "\t" { self.position += 1 }
                    return field
                }
                self.position += 1
            } else if scalar == "\n" || (scalar == "\r" && self.scalars[safe: self.position] != "\n") {
                self.line += 1
            }
            field.append(scalar)
        }
        throw LearningError.malformedData(file: self.file, line: opened, reason: "a quote opened here is never closed")
    }

    /// A field's text: quoted fields as written, others trimmed of spaces and tabs.
    private static func finish(_ field: String.UnicodeScalarView, quoted: Bool) -> String {
        let text = String(field)
        return quoted ? text : text.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? {
        self.indices.contains(index) ? self[index] : nil
    }
}
