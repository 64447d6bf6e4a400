// CSVTarget: CSV tables, as a trainer or evaluator reads its data set.

import FuzzSupport
import Learning

/// Feeds Learning's `CSVTable(text:)` with the input when it is UTF-8 (the file reader refuses other bytes), then
/// reads the table as a numeric data set, both as classification and as regression. A parsed table must be
/// rectangular, with one line number per row, increasing.
enum CSVTarget: FuzzTarget {
    static func test(_ bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self),
            let table = try? CSVTable(text: text, name: "fuzz.csv")
        else { return }
        FuzzCheck.require(table.rows.allSatisfy { $0.count == table.columns.count }, "a row of the wrong width")
        FuzzCheck.require(table.lines.count == table.rows.count, "one line number per row")
        FuzzCheck.require(zip(table.lines, table.lines.dropFirst()).allSatisfy { $0 < $1 }, "line numbers increase")
        _ = try? table.dataset()
        _ = try? table.dataset(regression: true)
        if let first = table.columns.first { _ = try? table.dataset(target: first) }
    }

    static var seeds: [(name: String, bytes: [UInt8])] {
        [
            ("numbers", "x1,x2,label\n0.5,1,0\n-2,3e2,1\n4,  5 ,2\n"),
            ("quoted", "name,\"a,b\",y\r\n\"x \"\"q\"\"\",\"1\n2\",3\r\n\r\nz,4,5\r\n"),
            ("regression", "a,b\n1.5,2.25\n3,-0.75\n"),
            ("header-only", "only\n"),
            ("cr-lines", "a,b\r1,2\r3,4"),
        ].map { ($0.0, Array($0.1.utf8)) }
    }
}
