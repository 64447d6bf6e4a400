// End to end: a task whose data schema comes from a CSV with text and gaps, trained by roles holding such files.

import APITypes
import DeAICore
import DeAITesting
import Foundation
import Learning
import Ledger
import Node
import Participants
import Testing

extension TrainingRolesTests {
    @Test("roles with text and gaps in their CSV train a task created with --schema-from; a file that misfits stays out")
    func rolesTrainATaskWithATableSchema() async throws {
        try await withTemporaryDirectory { directory in
            let home = directory + "/home"
            #expect(try await DeAIExecutable.run(["init", "--home", home]).status == 0)
            var addresses: [String: String] = [:]
            for name in ["north", "south", "misfit", "judge"] {
                let key = try await DeAIExecutable.run(["keys", "new", name, "--home", home, "--json"])
                addresses[name] = try #require(try key.json()["address"] as? String)
            }
            let files: [(String, String)] = [
                ("reference.csv", SyntheticTables.wards(rows: 300, seed: 1)),
                ("north.csv", SyntheticTables.wards(rows: 200, seed: 2, header: ["outcome", "bp", "smoker", "ward", "age"])),
                ("south.csv", SyntheticTables.wards(rows: 200, seed: 3)),
                ("misfit.csv", "age,ward,outcome\n50,icu,readmitted\n60,surgery,discharged\n"),
                ("judge.csv", SyntheticTables.wards(rows: 150, seed: 4)),
            ]
            for (name, text) in files { try text.write(toFile: home + "/" + name, atomically: true, encoding: .utf8) }
            try Self.configure(
                home: home,
                [
                    "block_interval_ms": 100, "eager_block_interval_ms": 5,
                    "roles": ["north", "south", "misfit"].map {
                        ["kind": "trainer", "task": 1, "key": $0, "data": "\($0).csv", "stake": 1_000] as [String: Any]
                    } + [["kind": "evaluator", "task": 1, "key": "judge", "data": "judge.csv", "stake": 2_000]],
                ]
            )

            try await withRunningNode(home: home) { node in
                let client = try NodeClient(baseURL: node.url)
                for name in ["north", "south", "misfit", "judge"] {
                    try await Self.deai(
                        ["tx", "transfer", "--from", "default", "--to", addresses[name] ?? "", "--amount", "100000", "--wait"],
                        home: home, node: node
                    )
                }
                let created = try await Self.deai(
                    [
                        "task", "create", "--from", "default", "--name", "readmission", "--schema-from",
                        home + "/reference.csv", "--target", "outcome", "--model", "logreg", "--rounds", "2",
                        "--participants", "3", "--enrollment-blocks", "30", "--update-blocks", "3000",
                        "--score-blocks", "3000", "--reveal-blocks", "3000", "--attest-blocks", "3000",
                        "--min-evaluators", "1", "--reward-pool", "10000", "--json",
                    ],
                    home: home, node: node
                )
                let reference = try #require(try created.json()["data_schema"] as? String)
                let hash = try #require(TaskSpec.dataSchemaBlob(in: reference))
                let schema = try TaskDataSchema.decode(try await client.getBlob(hash), hash: hash)
                #expect(schema.target.classes == ["discharged", "readmitted"])
                #expect(try created.json()["parameters"] as? Int == (schema.inputWidth + 1) * 2)
                #expect(try await client.task(1).spec.dataSchema == reference)

                let task = try await Self.completion(of: 1, client: client, within: .seconds(150))
                #expect(task.version >= 1)
                let contributors = Set(try await client.round(task: 1, number: 1).updates.map(\.contributor.description))
                #expect(contributors == [addresses["north"], addresses["south"]])
            }
        }
    }
}
