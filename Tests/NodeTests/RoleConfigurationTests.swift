// The `roles` of config.json: parsing, relative paths, the round trip, and errors that name the entry and field.

import Foundation
import Ledger
import Node
import Testing

@Suite("RoleConfiguration in config.json")
struct RoleConfigurationTests {
    @Test("roles parse with their defaults; relative data paths start at the configuration's directory")
    func parsesRoles() throws {
        let json = #"""
            {"roles": [
              {"kind": "trainer", "task": 3, "key": "alice", "data": "data/alice.csv", "stake": 1500},
              {"kind": "evaluator", "task": 3, "key": "bob", "data": "/srv/held-out.csv", "target": "label"}
            ]}
            """#
        let configuration = try NodeConfiguration(json: Data(json.utf8), source: "test", relativeTo: "/home/me/.deai")
        #expect(
            configuration.roles == [
                RoleConfiguration(
                    kind: .trainer, taskID: 3, keyName: "alice", dataFile: "/home/me/.deai/data/alice.csv", stake: 1500
                ),
                RoleConfiguration(
                    kind: .evaluator, taskID: 3, keyName: "bob", dataFile: "/srv/held-out.csv", targetColumn: "label"
                ),
            ]
        )
        #expect(configuration.roles[0].description == "trainer of task 3 (key alice)")
        #expect(try NodeConfiguration(json: Data("{}".utf8), source: "empty").roles.isEmpty)
    }

    @Test("config.json read from a home resolves data next to it")
    func resolvesAgainstTheFile() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/config.json"
            let json = #"{"roles": [{"kind": "trainer", "task": 1, "key": "k", "data": "mine.csv"}]}"#
            try Data(json.utf8).write(to: URL(fileURLWithPath: path))
            let configuration = try NodeConfiguration(contentsOf: path)
            #expect(configuration.roles.first?.dataFile == directory + "/mine.csv")
        }
    }

    @Test("roles are written out and read back the same; no roles writes no key")
    func roundTrip() throws {
        var configuration = NodeConfiguration()
        #expect(!String(decoding: configuration.jsonBytes, as: UTF8.self).contains("roles"))
        configuration.roles = [
            RoleConfiguration(kind: .evaluator, taskID: 9, keyName: "e", dataFile: "/d/e.csv", targetColumn: "y"),
            RoleConfiguration(kind: .trainer, taskID: 9, keyName: "t", dataFile: "/d/t.csv", stake: 10),
        ]
        let reread = try NodeConfiguration(json: Data(configuration.jsonBytes), source: "round trip")
        #expect(reread.roles == configuration.roles)
    }

    @Test(
        "a bad role is refused with an error naming the file, the entry and the field",
        arguments: [
            (#"{"kind": "miner", "task": 1, "key": "k", "data": "d.csv"}"#, "roles[0].kind"),
            (#"{"task": 1, "key": "k", "data": "d.csv"}"#, "roles[0].kind"),
            (#"{"kind": "trainer", "key": "k", "data": "d.csv"}"#, "roles[0].task"),
            (#"{"kind": "trainer", "task": 0, "key": "k", "data": "d.csv"}"#, "roles[0].task"),
            (#"{"kind": "trainer", "task": "one", "key": "k", "data": "d.csv"}"#, "roles[0].task"),
            (#"{"kind": "trainer", "task": 1, "data": "d.csv"}"#, "roles[0].key"),
            (#"{"kind": "trainer", "task": 1, "key": "../etc", "data": "d.csv"}"#, "roles[0].key"),
            (#"{"kind": "trainer", "task": 1, "key": "k"}"#, "roles[0].data"),
            (#"{"kind": "trainer", "task": 1, "key": "k", "data": ""}"#, "roles[0].data"),
            (#"{"kind": "trainer", "task": 1, "key": "k", "data": "d.csv", "stake": 0}"#, "roles[0].stake"),
            (#"{"kind": "trainer", "task": 1, "key": "k", "data": "d.csv", "stake": -5}"#, "roles[0].stake"),
            (#"{"kind": "trainer", "task": 1, "key": "k", "data": "d.csv", "target": ""}"#, "roles[0].target"),
            (#"{"kind": "trainer", "task": 1, "key": "k", "data": "d.csv", "stak": 10}"#, "roles[0].stak"),
        ]
    )
    func invalidRole(entry: String, field: String) {
        let json = #"{"roles": ["# + entry + "]}"
        expectInvalid(json, mentioning: field)
    }

    @Test("a key gets one role per task; the second entry is named")
    func duplicateRole() {
        let json = #"""
            {"roles": [
              {"kind": "trainer", "task": 1, "key": "k", "data": "a.csv"},
              {"kind": "trainer", "task": 2, "key": "k", "data": "a.csv"},
              {"kind": "evaluator", "task": 1, "key": "k", "data": "b.csv"}
            ]}
            """#
        expectInvalid(json, mentioning: "roles[2]")
    }

    @Test("roles must be an array of objects")
    func notAnArray() {
        expectInvalid(#"{"roles": {"kind": "trainer"}}"#, mentioning: "roles")
        expectInvalid(#"{"roles": ["trainer"]}"#, mentioning: "roles[0]")
    }

    private func expectInvalid(
        _ json: String, mentioning field: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            let configuration = try NodeConfiguration(json: Data(json.utf8), source: "/x/config.json")
            Issue.record("accepted \(json): \(configuration.roles)", sourceLocation: sourceLocation)
        } catch let error as NodeError {
            #expect(error.code == .invalidConfiguration, sourceLocation: sourceLocation)
            #expect(error.message.contains(field), "\(error.message)", sourceLocation: sourceLocation)
            #expect(error.message.contains("/x/config.json"), sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }
}
