// APITests: GET /v1/state/{key} — any entry with its proof, in JSON or binary, long-polled for a change.

import APITypes
import Consensus
import DeAICore
import DeAITesting
import HTTPTypes
import HummingbirdTesting
import Ledger
import NIOCore
import Testing

@Suite("GET /v1/state/{key}")
struct StateRoutesTests {
    @Test("JSON and binary answers carry the same entry, and its proof verifies against the header")
    func jsonAndBinaryAgree() async throws {
        try await TrainingRun.withTask(through: .enrolled) { node in
            try await node.app().test(.router) { client in
                let task = try #require(await node.chain.view.state.tasks[1])
                let key = StateKey.task(id: 1)
                let path = "/v1/state/\(key.bytes.hexString)"

                let json = try await client.get(path).decode(StateEntryView.self)
                #expect(json.value?.bytes == task.canonicalEncoding)
                #expect(json.valueHash == SHA256Digest(hashing: task.canonicalEncoding))
                let proven = try TaskRoutesTests.verify(json.proof, key: key)
                #expect(try TrainingTask(canonicalEncoding: proven) == task)

                let response = try await client.execute(
                    uri: path, method: .get, headers: [.accept: StateEntryRecord.contentType])
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == StateEntryRecord.contentType)
                let record = try StateEntryRecord(canonicalEncoding: Array(response.body.readableBytesView))
                #expect(StateEntryView(record) == json)
                let header = try #require(record.header)
                #expect(try record.proof.verify(against: header.stateRoot) == task.canonicalEncoding)
            }
        }
    }

    @Test("a key that holds nothing answers no value with a proof of absence")
    func absentEntry() async throws {
        try await TrainingRun.withTask(through: .enrolled) { node in
            try await node.app().test(.router) { client in
                let key = StateKey.task(id: 99)
                let view = try await client.get("/v1/state/\(key.bytes.hexString)").decode(StateEntryView.self)
                #expect(view.value == nil)
                #expect(view.valueHash == SHA256Digest(hashing: [UInt8]()))
                let header = try #require(view.proof.header).header
                #expect(try view.proof.proof.stateProof.verify(against: header.stateRoot) == nil)
            }
        }
    }

    @Test("long-polls beyond api.max_waiting_requests get 429 with Retry-After; a freed place admits the next")
    func waitingBound() async throws {
        try await TrainingRun.withTask(through: .enrolled) { node in
            try await node.app(configuration: APIConfiguration(maxWaitingRequests: 1)).test(.router) { client in
                let path = "/v1/state/\(StateKey.task(id: 1).bytes.hexString)"
                let now = try await client.get(path).decode(StateEntryView.self)
                let poll = "\(path)?changed_from=\(now.valueHash.hexString)&timeout_ms="
                async let first = client.get(poll + "1500")
                try await Task.sleep(for: .milliseconds(300))
                let refused = try await client.get(poll + "1500")
                try refused.expectError(.tooManyRequests, code: 1104, name: "too_many_waiting")
                #expect(refused.headers[.retryAfter] == "1")
                #expect(try await first.status == .ok)
                #expect(try await client.get(poll + "10").status == .ok)
            }
        }
    }

    @Test("changed_from answers at once when the entry differs, and waits out timeout_ms when it does not")
    func longPoll() async throws {
        try await TrainingRun.withTask(through: .enrolled) { node in
            try await node.app().test(.router) { client in
                let path = "/v1/state/\(StateKey.task(id: 1).bytes.hexString)"
                let now = try await client.get(path).decode(StateEntryView.self)
                let other = SHA256Digest(hashing: [1, 2, 3])
                let changed = try await client.get("\(path)?changed_from=\(other.hexString)&timeout_ms=60000")
                    .decode(StateEntryView.self)
                #expect(changed == now)

                let clock = ContinuousClock()
                let started = clock.now
                let unchanged = try await client.get("\(path)?changed_from=\(now.valueHash.hexString)&timeout_ms=200")
                    .decode(StateEntryView.self)
                #expect(clock.now - started >= .milliseconds(200))
                #expect(unchanged.valueHash == now.valueHash)
            }
        }
    }

    @Test("a key or changed_from that is not hex of the right kind is a 400 naming it")
    func badRequests() async throws {
        try await TestNode.withNode { node in
            try await node.app().test(.router) { client in
                try await client.get("/v1/state/zz").expectError(.badRequest, code: 1002, name: "bad_path")
                try await client.get("/v1/state/ff00").expectError(.badRequest, code: 1002, name: "bad_path")
                let key = StateKey.task(id: 1).bytes.hexString
                try await client.get("/v1/state/\(key)?changed_from=abc")
                    .expectError(.badRequest, code: 1003, name: "bad_query")
            }
        }
    }

    @Test("the binary record round-trips, and every truncation of it is refused")
    func recordCodec() async throws {
        try await TrainingRun.withTask(through: .firstRound) { node in
            let view = await node.chain.view
            let key = StateKey.round(taskID: 1, number: 1)
            let record = StateEntryRecord(
                height: view.height, value: view.state.encodedValue(for: key), stateRoot: view.commitment.root,
                header: view.header, proof: view.commitment.proof(for: key))
            let bytes = record.canonicalEncoding
            let decoded = try StateEntryRecord(canonicalEncoding: bytes)
            #expect(decoded == record)
            for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 200)) {
                #expect(throws: CodecError.self) { try StateEntryRecord(canonicalEncoding: Array(bytes.prefix(length))) }
            }
        }
    }
}
