// Two private CSV files cut from the breast cancer data set that ships with Devnet, for roles to train on.

import Foundation

/// The Wisconsin breast cancer table (`Sources/Devnet/Resources/Datasets/breast_cancer.csv`: 30 features, then
/// the label), standardized with its own statistics and dealt row by row into two shards, as a trainer's private
/// data and an evaluator's held-out data.
enum BreastCancerShards {
    /// The data set's features per sample.
    static let featureCount = 30

    /// Writes the even rows to `first` and the odd rows to `second`, each with the header row.
    static func write(first: String, second: String) throws {
        let source = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Devnet/Resources/Datasets/breast_cancer.csv")
        let lines = try String(contentsOf: source, encoding: .utf8).split(whereSeparator: \.isNewline)
        guard let header = lines.first else { throw TestFailure("\(source.path) is empty") }
        let rows = try lines.dropFirst().map { line in
            try line.split(separator: ",").map { field in
                guard let value = Double(field) else { throw TestFailure("\(source.path): '\(field)' is not a number") }
                return value
            }
        }
        let features = self.featureCount
        let means = (0..<features).map { column in rows.map { $0[column] }.reduce(0, +) / Double(rows.count) }
        let deviations = (0..<features).map { column in
            let variance = rows.map { ($0[column] - means[column]) * ($0[column] - means[column]) }.reduce(0, +)
            return max((variance / Double(rows.count)).squareRoot(), 1e-9)
        }
        func text(_ part: [[Double]]) -> String {
            let body = part.map { row in
                (0..<features).map { String(format: "%.5f", (row[$0] - means[$0]) / deviations[$0]) }
                    .joined(separator: ",") + ",\(Int(row[features]))"
            }
            return ([String(header)] + body).joined(separator: "\n") + "\n"
        }
        let even = rows.indices.filter { $0 % 2 == 0 }.map { rows[$0] }
        let odd = rows.indices.filter { $0 % 2 == 1 }.map { rows[$0] }
        try text(even).write(toFile: first, atomically: true, encoding: .utf8)
        try text(odd).write(toFile: second, atomically: true, encoding: .utf8)
    }
}
