// Tests of TablePreparation.preparedInputs(rawRows:): raw request rows prepared to the bits training gives.

import Learning
import Testing

@Suite("Fixed-order raw rows")
struct FixedOrderRawRowsTests {
    /// A table with a numeric, a categorical and a boolean feature, and a target.
    private static let table = try! CSVTable(text: """
        age,ward,smoker,outcome
        61.5,cardiology,yes,discharged
        47,oncology,no,readmitted
        30.25,surgery,no,discharged
        55,oncology,yes,discharged
        70,surgery,no,readmitted
        """)

    /// The preparation fitted on the table.
    private static func preparation() throws -> TablePreparation {
        var preparation = try TablePreparation(inferringFrom: Self.table)
        try preparation.fit(on: Self.table)
        return preparation
    }

    @Test("raw rows give the bits encode then prepared give for the same cells")
    func matchesTraining() throws {
        let preparation = try Self.preparation()
        #expect(preparation.features.map(\.name) == ["age", "ward", "smoker"])
        let raw: [[Double]] = [[61.5, 0, 1], [47, 1, 0], [30.25, 2, 0], [1e-3, 1, 1], [-0.0, 2, 0]]
        let cells = [["61.5", "cardiology", "yes"], ["47", "oncology", "no"], ["30.25", "surgery", "no"],
                     ["0.001", "oncology", "yes"], ["-0", "surgery", "no"]]
        let requested = try CSVTable(name: "request", columns: ["age", "ward", "smoker"], rows: cells)
        let encoded = try preparation.encode(requested, mode: .prediction)
        let expected = try preparation.prepared(inputs: preparation.inputs(of: encoded)).scalars
        let actual = try preparation.preparedInputs(rawRows: raw)
        #expect(actual.count == 5 * preparation.inputWidth)
        #expect(actual.map(\.bitPattern) == expected.map(\.bitPattern))
        #expect(try preparation.preparedInputs(rawRows: []) == [])
    }

    @Test("a value its column cannot hold, or a row of the wrong length, is refused naming the row and column",
          arguments: [
              ([[1, 0, 1], [1, 0]], 1, nil),
              ([[.nan, 0, 1]], 0, "age"),
              ([[1, 0, 1], [.infinity, 0, 1]], 1, "age"),
              ([[1e39, 0, 1]], 0, "age"),
              ([[1, 3, 1]], 0, "ward"),
              ([[1, 0.5, 1]], 0, "ward"),
              ([[1, -1, 1]], 0, "ward"),
              ([[1, 0, 0.5]], 0, "smoker"),
              ([[1, 0, 2]], 0, "smoker"),
          ] as [([[Double]], Int, String?)])
    func refusals(rows: [[Double]], row: Int, column: String?) throws {
        let preparation = try Self.preparation()
        do {
            _ = try preparation.preparedInputs(rawRows: rows)
            Issue.record("\(rows) was accepted")
        } catch LearningError.invalidInput(let failedRow, let failedColumn, let reason) {
            #expect(failedRow == row && failedColumn == column, "\(reason)")
            #expect(!reason.isEmpty)
        }
    }

    @Test("the error message names the row, the column and the categories")
    func message() throws {
        let preparation = try Self.preparation()
        #expect(throws: LearningError.invalidInput(row: 0, column: "ward", reason:
            "3.0 is not a category index, 0 to 2 (0 = 'cardiology', 1 = 'oncology', 2 = 'surgery')")) {
            try preparation.preparedInputs(rawRows: [[1, 3, 1]])
        }
        #expect(LearningError.invalidInput(row: 4, column: "age", reason: "nan is not a finite number").description
            == "inputs[4], column 'age': nan is not a finite number")
    }
}
