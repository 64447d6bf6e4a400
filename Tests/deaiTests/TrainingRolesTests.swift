// End to end: `deai start` running the trainer and evaluator roles of config.json, and `deai task create|join|leave`.

import APITypes
import DeAICore
import Foundation
import Ledger
import Node
import Testing

@Suite("deai start with training roles, and deai task", .timeLimit(.minutes(4)))
struct TrainingRolesTests {
    @Test(
        "a role whose data or key cannot be used refuses the start, naming the entry",
        arguments: [
            (#"{"kind": "trainer", "task": 1, "key": "alice", "data": "nothing.csv"}"#, "roles[0].data: there is no"),
            (#"{"kind": "trainer", "task": 1, "key": "alice", "data": "bad.csv"}"#, "roles[0].data"),
            (#"{"kind": "trainer", "task": 1, "key": "alice", "data": "good.csv", "target": "y"}"#, "roles[0].target"),
            (#"{"kind": "trainer", "task": 1, "key": "nobody", "data": "good.csv"}"#, #"roles[0].key: no key named"#),
            (#"{"kind": "evaluator", "task": 1, "key": "vault", "data": "good.csv"}"#, "roles[0].key"),
            (#"{"kind": "miner", "task": 1, "key": "alice", "data": "good.csv"}"#, "roles[0].kind"),
        ]
    )
    func refusedRole(role: String, mention: String) async throws {
        try await withTemporaryDirectory { directory in
            let home = directory + "/home"
            #expect(try await DeAIExecutable.run(["init", "--home", home]).status == 0)
            #expect(try await DeAIExecutable.run(["keys", "new", "alice", "--home", home]).status == 0)
            let vault = try await DeAIExecutable.run(
                ["keys", "new", "vault", "--home", home], environment: ["DEAI_PASSPHRASE": "secret"]
            )
            #expect(vault.status == 0, "\(vault.stderr)")
            try "a,b,label\n1,2,0\n3,4,1\n".write(toFile: home + "/good.csv", atomically: true, encoding: .utf8)
            try "a,b,label\n1,2\n".write(toFile: home + "/bad.csv", atomically: true, encoding: .utf8)
            try Self.configure(home: home, ["roles": [try Self.object(role)]])

            let started = try await DeAIExecutable.run(
                ["start", "--home", home, "--api-port", "0"], environment: ["DEAI_PASSPHRASE": ""]
            )
            #expect(started.status != 0)
            #expect(started.stderr.contains(mention), "\(started.stderr)")
            #expect(started.stderr.contains(home + "/config.json"), "\(started.stderr)")
            #expect(!started.stdout.contains("API listening"))
        }
    }

    @Test("a node's trainer and evaluator roles train a task posted with deai task create to completion")
    func rolesTrainATask() async throws {
        try await withTemporaryDirectory { directory in
            let home = directory + "/home"
            #expect(try await DeAIExecutable.run(["init", "--home", home]).status == 0)
            var addresses: [String: String] = [:]
            for name in ["trainer", "evaluator", "narrow", "idle", "carol"] {
                let key = try await DeAIExecutable.run(["keys", "new", name, "--home", home, "--json"])
                addresses[name] = try #require(try key.json()["address"] as? String)
            }
            try BreastCancerShards.write(first: home + "/trainer.csv", second: home + "/evaluator.csv")
            try "a,b,c,d,e,label\n1,2,3,4,5,0\n2,3,4,5,6,1\n"
                .write(toFile: home + "/narrow.csv", atomically: true, encoding: .utf8)
            try Self.configure(
                home: home,
                [
                    "block_interval_ms": 100, "eager_block_interval_ms": 5,
                    "roles": [
                        // Joins by itself once the task is posted.
                        ["kind": "trainer", "task": 1, "key": "trainer", "data": "trainer.csv", "stake": 1_000],
                        // Waits until `deai task join` makes its key a member.
                        ["kind": "evaluator", "task": 1, "key": "evaluator", "data": home + "/evaluator.csv"],
                        // Five features for a 30-feature model: fails, and the node goes on.
                        ["kind": "trainer", "task": 1, "key": "narrow", "data": "narrow.csv", "stake": 1_000],
                        // A task nobody posts: still waiting at SIGTERM, which must stop it.
                        ["kind": "evaluator", "task": 99, "key": "idle", "data": "evaluator.csv"],
                    ] as [Any],
                ]
            )

            try await withRunningNode(home: home) { node in
                let client = try NodeClient(baseURL: node.url)
                for name in ["trainer", "evaluator", "carol"] {
                    try await Self.deai(
                        [
                            "tx", "transfer", "--from", "default", "--to", addresses[name] ?? "", "--amount", "100000",
                            "--wait",
                        ],
                        home: home, node: node
                    )
                }
                let created = try await Self.deai(
                    [
                        "task", "create", "--from", "default", "--name", "breast cancer", "--features", "30",
                        "--rounds", "2", "--participants", "1", "--enrollment-blocks", "30", "--update-blocks", "3000",
                        "--score-blocks", "3000", "--reveal-blocks", "3000", "--attest-blocks", "3000",
                        "--min-evaluators", "1", "--reward-pool", "10000", "--json",
                    ],
                    home: home, node: node
                )
                #expect(try created.json()["task_id"] as? Int == 1)
                #expect(try created.json()["parameters"] as? Int == 62)
                try await Self.deai(
                    [
                        "task", "join", "--from", "evaluator", "--task", "1", "--role", "evaluator", "--stake", "2000",
                        "--data", home + "/evaluator.csv", "--wait",
                    ],
                    home: home, node: node
                )

                // A second task: carol joins it with the minimum stake and leaves before it starts.
                let second = try await Self.deai(
                    [
                        "task", "create", "--from", "default", "--features", "30", "--rounds", "1",
                        "--enrollment-blocks", "50000",
                    ],
                    home: home, node: node
                )
                #expect(second.stdout.contains("task 2 created in block"), "\(second.stdout)")
                let carol = try Address(bech32: addresses["carol"] ?? "")
                let before = try await client.account(carol).balance
                try await Self.deai(
                    ["task", "join", "--from", "carol", "--task", "2", "--role", "trainer", "--wait"],
                    home: home, node: node
                )
                #expect(try await client.account(carol).balance == before - 1_000 - 1)
                #expect(try await client.task(2).members.map(\.address) == [carol])
                let left = try await Self.deai(
                    ["task", "leave", "--from", "carol", "--task", "2", "--wait"], home: home, node: node
                )
                #expect(left.stdout.contains("leave_task"), "\(left.stdout)")
                #expect(try await client.account(carol).balance == before - 2)

                let task = try await Self.completion(of: 1, client: client, within: .seconds(150))
                #expect(task.version >= 1)
                let first = try await client.round(task: 1, number: 1)
                #expect(first.result == .newVersion)
                #expect(first.updates.map(\.contributor.description) == [addresses["trainer"]])
                #expect(try await client.modelVersions(task: 1).versions.count == Int(task.version))
                let members = try await client.task(1).members
                let earned = { (name: String) in members.first { $0.address.description == addresses[name] }?.earned }
                #expect((earned("trainer") ?? 0) > 0)
                #expect((earned("evaluator") ?? 0) > 0)
                #expect(earned("narrow") == nil)

                let status = try await node.stop()
                #expect(status == 0)
                let logs = node.logText()
                for name in ["trainer", "evaluator"] {
                    let participant = "participant=\(name) of task 1 as \(addresses[name] ?? "")"
                    #expect(logs.contains(participant + " [Node] participant finished"))
                }
                #expect(logs.contains("the role's data has 5"))
                #expect(logs.contains("participant failed; the node keeps running"))
                #expect(logs.contains("node stopped"))
            }
        }
    }

    // MARK: - Helpers

    /// Runs `deai arguments… --home home --node URL`, expecting success.
    @discardableResult
    static func deai(_ arguments: [String], home: String, node: RunningNode) async throws -> CommandResult {
        let result = try await DeAIExecutable.run(arguments + ["--home", home, "--node", node.url])
        guard result.status == 0 else {
            throw TestFailure("deai \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result
    }

    /// Task `id` once it has completed, long-polling its state entry.
    static func completion(of id: UInt64, client: NodeClient, within limit: Duration) async throws -> TaskView {
        let deadline = ContinuousClock.now + limit
        var seen: SHA256Digest?
        while ContinuousClock.now < deadline {
            let entry = try await client.stateEntry(.task(id: id), changedFrom: seen, timeout: .seconds(10))
            if let value = entry.value, try TrainingTask(canonicalEncoding: value.bytes).status == .completed {
                return try await client.task(id)
            }
            seen = entry.valueHash
        }
        let task = try await client.task(id)
        throw TestFailure(
            "task \(id) did not complete within \(limit): \(task.status) round \(task.round) \(task.phase)"
        )
    }

    /// Sets top-level keys of `home`'s config.json.
    static func configure(home: String, _ changes: [String: Any]) throws {
        let path = home + "/config.json"
        var object = try self.object(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self))
        object.merge(changes) { $1 }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted])
        try data.write(to: URL(fileURLWithPath: path))
    }

    private static func object(_ json: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw TestFailure("not a JSON object: \(json)")
        }
        return object
    }
}
