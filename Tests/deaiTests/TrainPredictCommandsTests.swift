// `deai train` and `deai predict` on tables a hospital might export: text, booleans, gaps, odd rows, bad files.

import DeAITesting
import Foundation
import Testing

@Suite("deai train and predict")
struct TrainPredictCommandsTests {
    private func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test("text, booleans and missing cells train; predict names the classes, matches columns by name, counts odd rows")
    func wardRoundTrip() async throws {
        try await withTemporaryDirectory { directory in
            try self.write(SyntheticTables.wards(rows: 400, seed: 1), to: "\(directory)/train.csv")
            let trained = try await DeAIExecutable.run([
                "train", "--data", "\(directory)/train.csv", "--model", "logreg", "--epochs", "40", "--lr", "0.05",
                "--out", "\(directory)/ward.safetensors", "--json",
            ])
            #expect(trained.status == 0, "\(trained.stderr)")
            let summary = try trained.json()
            let data = try #require(summary["data"] as? [String: Any])
            #expect(data["target"] as? String == "outcome")
            #expect(data["task"] as? String == "classification")
            #expect(data["classes"] as? [String] == ["discharged", "readmitted"])
            let columns = try #require(data["columns"] as? [[String: Any]])
            #expect(columns.map { $0["kind"] as? String } == ["numeric", "categorical", "boolean", "numeric"])
            #expect((columns[0]["missing"] as? Int ?? 0) > 20)
            #expect(try #require(summary["test_accuracy"] as? Double) > 0.85)

            // Columns in another order, a ward never seen, an unparsable age, a target that is no class.
            var rows = SyntheticTables.wards(rows: 100, seed: 2, header: ["outcome", "bp", "smoker", "ward", "age"])
                .split(separator: "\n").map(String.init)
            rows[1] = "readmitted,165.0,yes,dermatology,50"
            rows[2] = "readmitted,150.0,yes,surgery,old"
            rows[3] = "transferred,120.0,no,surgery,40"
            try self.write(rows.joined(separator: "\n") + "\n", to: "\(directory)/new.csv")
            let predicted = try await DeAIExecutable.run([
                "predict", "--model", "\(directory)/ward.safetensors", "--data", "\(directory)/new.csv", "--json",
            ])
            #expect(predicted.status == 0, "\(predicted.stderr)")
            let result = try predicted.json()
            let predictions = try #require(result["predictions"] as? [[String: Any]])
            #expect(predictions.count == 99)
            #expect(Set(predictions.compactMap { $0["label"] as? String }).isSubset(of: ["discharged", "readmitted"]))
            #expect(result["scored_rows"] as? Int == 98)
            #expect((result["skipped"] as? [[String: Any]])?.first?["line"] as? Int == 3)
            #expect((result["not_scored"] as? [[String: Any]])?.first?["line"] as? Int == 4)
            #expect((result["unseen_categories"] as? [String: Int])?["ward"] == 1)
            #expect(try #require(result["accuracy"] as? Double) > 0.85)

            let text = try await DeAIExecutable.run([
                "predict", "--model", "\(directory)/ward.safetensors", "--data", "\(directory)/new.csv", "--proba",
            ])
            let lines = text.stdout.split(separator: "\n")
            #expect(lines.first == "prediction,discharged,readmitted")
            #expect(lines.count == 100)
            #expect(text.stderr.contains("left out: 1 rows (first: line 3, column 'age': 'old' is not a number)"))
        }
    }

    @Test("standard input is read with '-', and a test file with its columns reordered is matched by name")
    func standardInputAndTestByName() async throws {
        try await withTemporaryDirectory { directory in
            try self.write(SyntheticTables.wards(rows: 300, seed: 3), to: "\(directory)/train.csv")
            try self.write(SyntheticTables.wards(rows: 100, seed: 4, header: ["bp", "outcome", "age", "smoker", "ward"]),
                           to: "\(directory)/test.csv")
            let trained = try await DeAIExecutable.run([
                "train", "--data", "-", "--test", "\(directory)/test.csv", "--model", "logreg", "--epochs", "40",
                "--lr", "0.05", "--out", "\(directory)/m.safetensors", "--json",
            ], input: "\(directory)/train.csv")
            #expect(trained.status == 0, "\(trained.stderr)")
            #expect(try #require(try trained.json()["test_accuracy"] as? Double) > 0.85)
        }
    }

    @Test("bad inputs exit non-zero with the file, line and column, and write no model")
    func refusals() async throws {
        try await withTemporaryDirectory { directory in
            let labels = (0..<40).map { "\($0),\($0 % 2)" }
            let cases: [(name: String, csv: String, expected: String)] = [
                ("huge target", (["x,y"] + labels + ["41,1e308"]).joined(separator: "\n"),
                 "d.csv:42: column 'y': 1e308 is not finite in 32-bit floating point"),
                ("odd label", (["x,y"] + labels + ["41,999999"]).joined(separator: "\n"),
                 "d.csv:42: column 'y': class '999999' has a single row of 41"),
                ("fraction label", (["x,y"] + labels + ["41,2.5"]).joined(separator: "\n"), "--task regression"),
                ("infinite feature", (["x,y"] + labels + ["inf,1"]).joined(separator: "\n"),
                 "d.csv:42: column 'x': inf is not finite"),
                ("duplicate header", "x,x,y\n1,2,0\n", "column name 'x' appears twice"),
                ("header only", "x,y\n", "d.csv:1: no data rows after the header"),
                ("empty", "", "empty file"),
            ]
            for (name, csv, expected) in cases {
                try self.write(csv, to: "\(directory)/d.csv")
                let run = try await DeAIExecutable.run([
                    "train", "--data", "\(directory)/d.csv", "--epochs", "1", "--out", "\(directory)/m.safetensors",
                ])
                #expect(run.status != 0, "\(name)")
                #expect(run.stderr.contains(expected), "\(name): \(run.stderr)")
                #expect(!FileManager.default.fileExists(atPath: "\(directory)/m.safetensors"), "\(name)")
            }
        }
    }

    @Test("a diverging regression stops with advice and writes no model; a huge spec and a hostile file are errors")
    func noSilentNonsense() async throws {
        try await withTemporaryDirectory { directory in
            let rows = (0..<60).map { "\($0),\(Double($0) * 1000.5)" }
            try self.write((["x,y"] + rows).joined(separator: "\n"), to: "\(directory)/r.csv")
            let diverged = try await DeAIExecutable.run([
                "train", "--data", "\(directory)/r.csv", "--lr", "1000", "--epochs", "5",
                "--out", "\(directory)/r.safetensors",
            ])
            #expect(diverged.status != 0)
            #expect(diverged.stderr.contains("training diverged"), "\(diverged.stderr)")
            #expect(diverged.stderr.contains("--lr"))
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/r.safetensors"))

            let converged = try await DeAIExecutable.run([
                "train", "--data", "\(directory)/r.csv", "--model", "logreg", "--lr", "0.05", "--epochs", "30", "--batch", "8",
                "--out", "\(directory)/r.safetensors", "--json",
            ])
            #expect(converged.status == 0, "\(converged.stderr)")
            #expect(try #require(try converged.json()["test_mean_squared_error"] as? Double) < 1e6)

            // Targets a 32-bit model cannot hold, in a file to predict: not scored, never a crash.
            try self.write("x,y\n1,1e308\n2,1e19\n3,-inf\n4,2001.0\n", to: "\(directory)/odd.csv")
            let odd = try await DeAIExecutable.run([
                "predict", "--model", "\(directory)/r.safetensors", "--data", "\(directory)/odd.csv", "--json",
            ])
            #expect(odd.status == 0, "\(odd.stderr)")
            #expect(try odd.json()["scored_rows"] as? Int == 2)
            #expect((try odd.json()["not_scored"] as? [[String: Any]])?.map { $0["line"] as? Int } == [2, 4])

            try self.write(#"{"inputShape":[1],"layers":[{"type":"dense","units":100000000000}],"loss":"meanSquaredError"}"#,
                           to: "\(directory)/huge.json")
            let huge = try await DeAIExecutable.run([
                "train", "--data", "\(directory)/r.csv", "--model", "\(directory)/huge.json", "--out", "\(directory)/h.safetensors",
            ])
            #expect(huge.status != 0)
            #expect(huge.stderr.contains("'units' of at most 268435456"), "\(huge.stderr)")

            let header = #"{"w":{"dtype":"F32","shape":[2147483648,2147483648],"data_offsets":[0,4]}}"#
            var file = Data()
            withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { file.append(contentsOf: $0) }
            file.append(Data(header.utf8) + Data(count: 4))
            try file.write(to: URL(fileURLWithPath: "\(directory)/hostile.safetensors"))
            let hostile = try await DeAIExecutable.run([
                "predict", "--model", "\(directory)/hostile.safetensors", "--data", "\(directory)/r.csv",
            ])
            #expect(hostile.status != 0)
            #expect(hostile.stderr.contains("malformed weights"), "\(hostile.stderr)")
        }
    }
}
