// Writing results: lines for people, JSON for scripts.

import Foundation

/// Writes a command's result on stdout: human text, or JSON with `--json`.
enum Output {
    /// Prints `value` as pretty JSON with sorted keys; `snakeCase` writes Swift's property names in the API's
    /// snake_case (`testAccuracy` → `test_accuracy`).
    static func printJSON(_ value: some Encodable, snakeCase: Bool = false) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        let data = try encoder.encode(value)
        print(String(decoding: data, as: UTF8.self))
    }

    /// Prints `value` as JSON when `json` is set, else the lines `human` returns.
    static func emit<Value: Encodable>(_ value: Value, json: Bool, human: (Value) -> [String]) throws {
        if json {
            try self.printJSON(value)
        } else {
            for line in human(value) { print(line) }
        }
    }

    /// Writes `line` on stdout unbuffered, so that a reader waiting on a pipe sees it at once.
    static func printFlushed(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Rows aligned in columns: `label  value`.
    static func table(_ rows: [(String, String)]) -> [String] {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { label, value in
            label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value
        }
    }
}
