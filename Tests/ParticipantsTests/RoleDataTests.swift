// Tests of a role's data file against its task: a table schema's checks and preparation, or plain numbers.

import DeAICore
import DeAITesting
import Foundation
import Learning
import Ledger
import Participants
import Testing

@Suite("A role's data and the task's table schema")
struct RoleDataTests {
    /// Writes `text` to a temporary CSV file and reads it as a role's data.
    private func roleData(_ text: String, target: String? = nil) throws -> RoleData {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("deai-role-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try RoleData(path: path, targetColumn: target)
    }

    /// The schema a sponsor would publish from a reference table: fitted on all its rows.
    private func schema() throws -> TablePreparation {
        let table = try CSVTable(text: SyntheticTables.wards(rows: 200, seed: 9))
        var schema = try TablePreparation(inferringFrom: table)
        try schema.fit(on: table)
        return schema
    }

    @Test("a site's own file, columns in another order, is prepared with the schema's categories and statistics")
    func preparedBySchema() throws {
        let schema = try self.schema()
        let data = try self.roleData(SyntheticTables.wards(rows: 50, seed: 10, header: ["outcome", "bp", "ward", "smoker", "age"]))
        let report = try data.prepared(schema: schema)
        let prepared = report.dataset
        #expect(report.classCounts.values.reduce(0, +) == 50)
        #expect(report.missingCells["age"] ?? 0 > 0)
        #expect(prepared.count == 50)
        #expect(prepared.sampleShape == [schema.inputWidth])
        #expect(prepared.classCount == 2)
        #expect(prepared.features.scalars.allSatisfy { $0.isFinite })
        // The same rows, in the schema's column order, prepared by the schema directly give the same inputs.
        let reordered = try CSVTable(text: SyntheticTables.wards(rows: 50, seed: 10))
        let direct = try schema.prepared(try schema.dataset(from: try schema.encode(reordered, mode: .training(missing: .impute))))
        #expect(prepared.features == direct.features)
        #expect(prepared.labels == direct.labels)
    }

    @Test("a file that does not fit the schema is refused with every mismatch")
    func refusedBySchema() throws {
        let data = try self.roleData("age,ward,smoker,outcome\n50,icu,yes,discharged\n")
        #expect {
            try data.prepared(schema: try self.schema())
        } throws: { error in
            guard case ParticipantError.dataDoesNotFitSchema(_, let problems) = error else { return false }
            return problems.count == 2 && problems[0].contains("'icu' not among the schema's categories")
                && problems[1] == "no column 'bp' (the schema's numeric column)"
        }
        let otherTarget = try self.roleData(SyntheticTables.wards(rows: 5, seed: 1), target: "smoker")
        #expect(throws: ParticipantError.self) { try otherTarget.prepared(schema: try self.schema()) }
    }

    @Test("without a schema the file must be all numbers, the target value being the class")
    func numbersWithoutSchema() throws {
        let numeric = try self.roleData("a,b,label\n1,2,0\n3,4,1\n")
        #expect(try numeric.prepared(schema: nil).dataset.labels == [0, 1])
        let text = try self.roleData(SyntheticTables.wards(rows: 5, seed: 1))
        #expect(throws: LearningError.self) { try text.prepared(schema: nil) }
    }

    @Test("a task's data_schema names its schema blob, and only a well-formed reference does")
    func reference() throws {
        let blob = try TaskDataSchema.blob(of: try self.schema())
        let hash = SHA256Digest(hashing: blob)
        #expect(TaskSpec.dataSchemaBlob(in: TaskSpec.dataSchema(naming: hash)) == hash)
        #expect(TaskSpec.dataSchemaBlob(in: "30 standardized features") == nil)
        #expect(TaskSpec.dataSchemaBlob(in: TaskSpec.dataSchemaBlobPrefix + "zz") == nil)
        #expect(try TaskDataSchema.decode(blob, hash: hash) == (try self.schema()))
        #expect(throws: ParticipantError.self) { try TaskDataSchema.decode(Array("{}".utf8), hash: hash) }
    }
}
