// Tests of CSV tables with text, booleans and missing cells: reading, inferring columns and targets, encoding.

import Learning
import Testing

@Suite("Tables")
struct TableTests {
    /// A small hospital export: a numeric column with gaps, a text column, a boolean and a text target.
    private static let patients = """
        age,ward,smoker,"blood pressure",outcome
        61,cardiology,yes,140,discharged
        47,oncology,no,,readmitted
        NA,cardiology,no,125,discharged
        55,"oncology",yes,NaN,discharged
        70,surgery,?,150,readmitted
        """

    @Test("RFC 4180: quoted commas, doubled quotes and line breaks; blank lines counted; cells trimmed")
    func parsing() throws {
        let table = try CSVTable(text: "name, note\r\n\n\"Smith, J\",\"said \"\"hi\"\"\"\n\nx,\"two\nlines\"\n  y  ,z\n")
        #expect(table.columns == ["name", "note"])
        #expect(table.rows == [["Smith, J", #"said "hi""#], ["x", "two\nlines"], ["y", "z"]])
        #expect(table.lines == [3, 5, 7])
    }

    @Test("an empty file, duplicate column names, a short row and an open quote are errors naming the line")
    func malformed() {
        #expect(throws: LearningError.malformedData(file: "csv", line: 1, reason: "empty file: expected a header row")) {
            try CSVTable(text: "\n\n")
        }
        #expect(throws: LearningError.self) { try CSVTable(text: "a,b,a\n1,2,3\n") }
        #expect(throws: LearningError.malformedData(file: "csv", line: 4, reason: "1 fields, the header has 2")) {
            try CSVTable(text: "a,b\n1,2\n\n3\n")
        }
        #expect(throws: LearningError.malformedData(file: "csv", line: 3, reason: "a quote opened here is never closed")) {
            try CSVTable(text: "a,b\n1,2\n3,\"oops\n4,5\n")
        }
    }

    @Test("columns are inferred: numbers, booleans, sorted categories; the text target keeps its class names")
    func inference() throws {
        let preparation = try TablePreparation(inferringFrom: try CSVTable(text: Self.patients))
        #expect(preparation.features == [
            FeatureColumn(name: "age", kind: .numeric),
            FeatureColumn(name: "ward", kind: .categorical, categories: ["cardiology", "oncology", "surgery"]),
            FeatureColumn(name: "smoker", kind: .boolean),
            FeatureColumn(name: "blood pressure", kind: .numeric),
        ])
        #expect(preparation.inputWidth == 6)
        #expect(preparation.target == TargetColumn(name: "outcome", task: .classification,
                                                   classes: ["discharged", "readmitted"]))
    }

    @Test("missing cells are imputed with the training mean; with drop, their rows are left out")
    func missingCells() throws {
        let table = try CSVTable(text: Self.patients)
        var preparation = try TablePreparation(inferringFrom: table)
        let encoded = try preparation.encode(table, mode: .training(missing: .impute))
        #expect(encoded.missingCells == [1, 0, 1, 2])
        var data = try preparation.dataset(from: encoded)
        #expect(data.labels == [0, 1, 0, 0, 1])
        preparation.fit(training: data)
        data = try preparation.prepared(data)
        // age is column 0: (61 + 47 + 55 + 70) / 4 is the mean, so the missing age standardizes to exactly 0.
        #expect(preparation.standardizer?.mean[0] == Float((61.0 + 47 + 55 + 70) / 4))
        #expect(data.features.scalars[2 * 6] == 0)
        #expect(data.features.scalars.allSatisfy { $0.isFinite })

        let dropped = try preparation.encode(table, mode: .training(missing: .drop))
        #expect(dropped.lines == [2])
        #expect(dropped.skipped.map(\.line) == [3, 4, 5, 6])
    }

    @Test("prediction: an unseen category is imputed and counted; a bad cell leaves its row out; an unknown class is not scored")
    func predictionRows() throws {
        let preparation = try TablePreparation(inferringFrom: try CSVTable(text: Self.patients))
        let new = try CSVTable(text: """
            outcome,smoker,ward,age,blood pressure
            discharged,no,dermatology,50,120
            readmitted,no,surgery,old,130
            transferred,yes,surgery,60,135
            """)
        let encoded = try preparation.encode(new, mode: .prediction)
        #expect(encoded.lines == [2, 4])
        #expect(encoded.unseenCells == [0, 1, 0, 0])
        #expect(encoded.skipped == [.init(line: 3, reason: "column 'age': 'old' is not a number")])
        #expect(encoded.unscored == [.init(line: 4, reason: "target 'transferred' is not a known class")])
        #expect(encoded.targets == [0, nil])
    }

    @Test("a training cell a column cannot hold is an error naming the file, line and column")
    func badTrainingCell() throws {
        let table = try CSVTable(text: "x,y\n1,0\n2,1\ninf,0\n", name: "data.csv")
        #expect(throws: LearningError.malformedData(
            file: "data.csv", line: 4, reason: "column 'x': inf is not finite in 32-bit floating point")) {
            try TablePreparation(inferringFrom: table)
        }
        let huge = try CSVTable(text: "x,y\n1,0\n1e308,1\n", name: "data.csv")
        #expect(throws: LearningError.malformedData(
            file: "data.csv", line: 3, reason: "column 'x': 1e308 is not finite in 32-bit floating point")) {
            try TablePreparation(inferringFrom: huge)
        }
    }

    @Test("targets that look wrong are refused, naming the flag; the flag overrides")
    func suspiciousTargets() throws {
        let labels = (0..<40).map { String($0 % 2) }
        func table(_ targets: [String]) throws -> CSVTable {
            try CSVTable(name: "t.csv", columns: ["x", "y"], rows: targets.enumerated().map { [String($0), $1] })
        }
        let cases: [(String, [String])] = [
            ("fraction among 0/1 labels", labels + ["2.5"]),
            ("a single -1", labels + ["-1"]),
            ("a single 999999", labels + ["999999"]),
            ("a year column", (0..<300).map { String(1800 + $0) }),
            ("1e308", labels + ["1e308"]),
        ]
        for (name, targets) in cases {
            #expect(throws: LearningError.self, "\(name)") {
                try TablePreparation(inferringFrom: try table(targets))
            }
        }
        let forced = try TablePreparation(inferringFrom: try table(labels + ["-1"]), options: .init(task: .classification))
        #expect(forced.target.classes == ["-1", "0", "1"])
        let regression = try TablePreparation(inferringFrom: try table(labels + ["2.5"]), options: .init(task: .regression))
        #expect(regression.target.task == .regression)
        #expect(try TablePreparation(inferringFrom: try table(labels.map { $0 + ".5" })).target.task == .regression)
    }

    @Test("a header without rows, a single class and an identifier-like text column are refused")
    func nothingToLearn() throws {
        #expect(throws: LearningError.malformedData(file: "csv", line: 1, reason: "no data rows after the header")) {
            try TablePreparation(inferringFrom: try CSVTable(text: "a,b\n"))
        }
        #expect(throws: LearningError.self) {
            try TablePreparation(inferringFrom: try CSVTable(text: "a,b\n1,x\n2,x\n"))
        }
        let names = try CSVTable(name: "n.csv", columns: ["name", "y"],
                                 rows: (0..<60).map { ["person \($0)", String($0 % 2)] })
        #expect(throws: LearningError.self) { try TablePreparation(inferringFrom: names) }
        let preparation = try TablePreparation(
            inferringFrom: try CSVTable(name: "n.csv", columns: ["name", "x", "y"],
                                        rows: (0..<60).map { ["person \($0)", String($0), String($0 % 2)] }),
            options: .init(drop: ["name"]))
        #expect(preparation.features.map(\.name) == ["x"])
    }

    @Test("a regression target is standardized for training and turned back for reporting")
    func regressionScale() throws {
        let table = try CSVTable(text: "x,price\n1,100000.5\n2,200000.5\n3,300000.5\n")
        var preparation = try TablePreparation(inferringFrom: table)
        let data = try preparation.dataset(from: try preparation.encode(table, mode: .training(missing: .impute)))
        preparation.fit(training: data)
        let prepared = try preparation.prepared(data)
        #expect(abs(prepared.targets[1]) < 1e-6)
        #expect(abs(preparation.target.destandardized(prepared.targets[2]) - 300000.5) < 0.1)
    }

    @Test("a table checked against a schema: every mismatch named with its column and first line; gaps and extra columns fit")
    func schemaMismatches() throws {
        let schema = try TablePreparation(inferringFrom: try CSVTable(text: Self.patients))
        let fitting = try CSVTable(text: """
            outcome,extra,ward,smoker,age,blood pressure
            readmitted,1,surgery,,NA,130
            """)
        #expect(schema.mismatches(in: fitting).isEmpty)
        let other = try CSVTable(text: """
            age,ward,smoker,outcome
            old,dermatology,yes,discharged
            50,icu,maybe,transferred
            """, name: "site.csv")
        #expect(schema.mismatches(in: other) == [
            "site.csv:2: column 'age': 'old' is not a number",
            "site.csv:2: column 'ward': 'dermatology', 'icu' not among the schema's categories (cardiology, oncology, surgery)",
            "site.csv:3: column 'smoker': 'maybe' is not a boolean (true/false, yes/no)",
            "no column 'blood pressure' (the schema's numeric column)",
            "site.csv:3: target 'outcome': 'transferred' is not one of the schema's classes (discharged, readmitted)",
        ])
    }

    @Test("any text of commas, quotes, line breaks and cells parses or fails with a LearningError, never a trap")
    func fuzzedText() throws {
        var generator = Xoshiro256(seed: 17)
        let pieces = [",", "\"", "\n", "\r", "\r\n", " ", "a", "1", "NA", "1e308", "é", "\"\"", "-", "?"]
        for _ in 0..<2_000 {
            let text = (0..<Int(generator.next() % 40)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }
                .joined()
            do {
                let table = try CSVTable(text: text)
                #expect(table.rows.allSatisfy { $0.count == table.columns.count })
                #expect(table.lines == table.lines.sorted())
                _ = try? TablePreparation(inferringFrom: table)
            } catch is LearningError {
                continue
            }
        }
    }

    @Test("a lone text among numbers is a typo, refused at its line; a column-wide problem is named on the header line")
    func typosAndColumnErrors() throws {
        let ages = (0..<30).map { [String(20 + $0), String($0 % 2)] } + [["4O", "1"]]
        #expect(throws: LearningError.malformedData(file: "a.csv", line: 32, reason: "column 'age': '4O' is not a number, "
            + "though 30 of the column's 31 cells are: fix it, mark it missing (NA), or leave the column out with --drop 'age'")) {
            try TablePreparation(inferringFrom: try CSVTable(name: "a.csv", columns: ["age", "y"], rows: ages))
        }
        let names = try CSVTable(name: "n.csv", columns: ["name", "y"], rows: (0..<60).map { ["p\($0)", String($0 % 2)] })
        #expect {
            try TablePreparation(inferringFrom: names)
        } throws: { error in
            guard case LearningError.malformedData(_, let line, let reason) = error else { return false }
            return line == 1 && reason.hasPrefix("column 'name': 60 distinct texts in 60 rows")
        }
    }

    @Test("spaces after a closing quote are not part of the field")
    func spacesAfterQuotes() throws {
        #expect(try CSVTable(text: "a,b\n\"x\" , \"y\"\t\n").rows == [["x", "y"]])
    }

    @Test("values near Float's limits standardize to finite numbers")
    func extremeValues() throws {
        let values: [Float] = Array(repeating: -3e38, count: 3) + [3e38]
        let data = try Dataset(features: Tensor(shape: [4, 1], scalars: values), labels: [0, 0, 0, 1])
        let standardized = try Standardizer(fitting: data).apply(to: data)
        #expect(standardized.features.scalars.allSatisfy { $0.isFinite })
    }

    @Test("a preparation from outside is validated: statistics per input, sorted categories, distinct classes")
    func validation() throws {
        var preparation = try TablePreparation(inferringFrom: try CSVTable(text: Self.patients))
        try preparation.fit(on: try CSVTable(text: Self.patients))
        try preparation.validate()
        var short = preparation
        short.standardizer?.deviation.removeLast()
        #expect(throws: LearningError.self) { try short.validate() }
        var unsorted = preparation
        unsorted.features[1].categories.reverse()
        #expect(throws: LearningError.self) { try unsorted.validate() }
        var oneClass = preparation
        oneClass.target.classes = ["x", "x"]
        #expect(throws: LearningError.self) { try oneClass.validate() }
    }
}
