// NodeTests: NodeClient against a real API server over loopback.

import APITypes
import Consensus
import DeAICore
import DeAITesting
import Foundation
import Ledger
import Node
import Storage
import Testing

@Suite("NodeClient over loopback")
struct NodeClientTests {
    @Test("status, account, parameters and blocks decode the API's views")
    func chainReads() async throws {
        try await LiveChain.with { live in
            try await live.produceBlock()
            try await live.serving(blobStores: [nil]) { clients in
                let client = clients[0]
                let status = try await client.status()
                #expect(status.chainID == ChainFixtures.chainID && status.height == 1)
                let account = try await client.account(ChainFixtures.address(1), prove: true)
                #expect(account.balance == ChainFixtures.balance)
                #expect(account.proof != nil)
                #expect(try await client.parameters().parameters == ChainParameters())
                #expect(try await client.block(nil).hash == status.latestBlockHash)
                #expect(try await client.block(1).header.height == 1)
            }
        }
    }

    @Test("submit waits for the receipt; a batch reports each refusal in place")
    func submitting() async throws {
        try await LiveChain.with { live in
            try await live.serving(blobStores: [nil]) { clients in
                let client = clients[0]
                let transfer = live.transaction(.transfer(to: ChainFixtures.address(2), amount: 5), from: 1)
                async let waited = client.submit(transfer, wait: true, waitTimeout: .seconds(30))
                while await live.chain.status.mempoolTransactions == 0 { try await Task.sleep(for: .milliseconds(5)) }
                try await live.produceBlock()
                let result = try await waited
                #expect(result.hash == transfer.hash)
                #expect(result.receipt?.success == true)
                #expect(try await client.transaction(transfer.hash).receipt.height == 1)

                let next = live.transaction(.transfer(to: ChainFixtures.address(2), amount: 5), from: 1)
                let batch = try await client.submitBatch([next, next])
                #expect(batch.accepted == 1 && batch.rejected == 1)
                #expect(batch.results[1].error?.name == "duplicate_transaction")

                let replay = await #expect(throws: NodeClientError.self) { try await client.submit(transfer) }
                guard case .apiError(_, let status, let code, let name, _) = replay else {
                    Issue.record("expected an API error, got \(String(describing: replay))")
                    return
                }
                #expect(status == 409 && code == 106 && name == "nonce_already_used")
            }
        }
    }

    @Test("tasks, rounds and model versions through the typed calls")
    func training() async throws {
        try await LiveChain.with { live in
            let model = try await TrainingScenario.runFirstRound(on: live)
            try await live.serving(blobStores: [nil]) { clients in
                let client = clients[0]
                let tasks = try await client.tasks()
                #expect(tasks.tasks.map(\.id) == [1])
                let task = try await client.task(1, prove: true)
                #expect(task.version == 1 && task.model == model && task.proof != nil)
                #expect(task.members.count == 5)
                let round = try await client.round(task: 1, number: 1)
                #expect(round.result == .newVersion && round.resultModel == model)
                #expect(round.updates.allSatisfy { $0.verdict?.accepted == true })
                let versions = try await client.modelVersions(task: 1)
                #expect(versions.versions.map(\.model) == [model])
                let version = try await client.modelVersion(task: 1, version: 1, prove: true)
                #expect(version.lineage?.round == 1 && version.proof != nil)
                #expect(try await client.modelVersion(withModel: model).version == 1)
            }
        }
    }

    @Test("a refusal carries the API's status, code, name and message, and reads as one sentence")
    func apiErrors() async throws {
        try await LiveChain.with { live in
            try await live.serving(blobStores: [nil]) { clients in
                let error = await #expect(throws: NodeClientError.self) { try await clients[0].task(7) }
                #expect(error?.isNotFound == true)
                guard case .apiError(let request, 404, 1001, "not_found", let message) = error else {
                    Issue.record("expected a 404 not_found, got \(String(describing: error))")
                    return
                }
                #expect(request == "GET /v1/tasks/7")
                #expect(message.contains("no training task 7"))
                let sentence = "the node refused GET /v1/tasks/7: there is no training task 7"
                #expect(error?.description.contains(sentence) == true)

                let malformed = await #expect(throws: NodeClientError.self) {
                    try await clients[0].get("/v1/tasks/x", as: TaskView.self)
                }
                guard case .apiError(_, 400, 1002, "bad_path", _) = malformed else {
                    Issue.record("expected a 400 bad_path, got \(String(describing: malformed))")
                    return
                }
            }
        }
    }

    @Test("an answer that is not the promised JSON is an invalid response")
    func invalidResponse() async throws {
        try await LiveChain.with { live in
            try await live.serving(blobStores: [try live.blobStore("a")]) { clients in
                let hash = try await clients[0].putBlob(Array("weights".utf8), uploader: LiveChain.stakedUploader)
                let error = await #expect(throws: NodeClientError.self) {
                    try await clients[0].get("/v1/blobs/\(hash)", as: StatusView.self)
                }
                guard case .invalidResponse(let request, let reason) = error else {
                    Issue.record("expected an invalid response, got \(String(describing: error))")
                    return
                }
                #expect(request == "GET /v1/blobs/\(hash)")
                #expect(reason.contains("does not decode"))
            }
        }
    }

    @Test("stateEntry answers when the entry changes, and a cancelled long-poll ends without the node's answer")
    func longPolls() async throws {
        try await LiveChain.with { live in
            try await live.serving(blobStores: [nil]) { clients in
                let client = clients[0]
                let key = StateKey.account(ChainFixtures.address(2))
                let before = try await client.stateEntry(key)
                async let changed = client.stateEntry(key, changedFrom: before.valueHash, timeout: .seconds(30))
                try await Task.sleep(for: .milliseconds(50))
                let transfer = live.transaction(.transfer(to: ChainFixtures.address(2), amount: 5), from: 1)
                #expect(try await client.submit(transfer).error == nil)
                try await live.produceBlock()
                let after = try await changed
                #expect(after.valueHash != before.valueHash)
                #expect(after.height == before.height + 1)

                let clock = ContinuousClock()
                let started = clock.now
                // The node keeps its side of the poll for the whole timeout (and the server's shutdown waits for
                // it); the client must not.
                let waiting = Task { try await client.stateEntry(key, changedFrom: after.valueHash, timeout: .seconds(5)) }
                try await Task.sleep(for: .milliseconds(100))
                waiting.cancel()
                let outcome = await waiting.result
                #expect(clock.now - started < .milliseconds(2_500))
                guard case .failure(let error) = outcome, case .cancelled(let request) = error as? NodeClientError else {
                    Issue.record("expected a cancelled request, got \(outcome)")
                    return
                }
                #expect(request.hasPrefix("GET /v1/state/"))
                #expect(try await client.status().height == after.height)
            }
        }
    }

    @Test("a graceful shutdown answers a waiting long-poll at once, unchanged, and the server stops")
    func shutdownAnswersLongPolls() async throws {
        try await LiveChain.with { live in
            let clock = ContinuousClock()
            let key = StateKey.account(ChainFixtures.address(3))
            let (poll, before, shutdownStarted) = try await live.serving(blobStores: [nil]) { clients in
                let before = try await clients[0].stateEntry(key)
                let poll = Task { try await clients[0].stateEntry(key, changedFrom: before.valueHash, timeout: .seconds(30)) }
                try await Task.sleep(for: .milliseconds(200))
                return (poll, before, clock.now)
            }
            #expect(clock.now - shutdownStarted < .seconds(10))
            let answer = try await poll.value
            #expect(answer.valueHash == before.valueHash)
        }
    }

    @Test("a node that is not listening is unreachable, named by its URL")
    func unreachable() async throws {
        let client = try NodeClient(baseURL: "http://127.0.0.1:1", timeout: .seconds(5))
        let error = await #expect(throws: NodeClientError.self) { try await client.status() }
        guard case .unreachable(let url, _) = error else {
            Issue.record("expected unreachable, got \(String(describing: error))")
            return
        }
        #expect(url == "http://127.0.0.1:1")
        #expect(error?.description.hasPrefix("cannot reach the node at http://127.0.0.1:1") == true)
    }

    @Test(
        "only http and https URLs with a host make a client",
        arguments: ["ftp://node", "127.0.0.1:26657", "http://", ""]
    )
    func invalidURL(_ url: String) {
        #expect(throws: NodeClientError.invalidURL(url)) { try NodeClient(baseURL: url) }
    }

    @Test("a base URL with a trailing slash works")
    func trailingSlash() async throws {
        try await LiveChain.with { live in
            try await live.serving(blobStores: [nil]) { clients in
                let slashed = try NodeClient(baseURL: clients[0].baseURL.absoluteString + "/")
                #expect(try await slashed.status().chainID == ChainFixtures.chainID)
            }
        }
    }
}

/// Task 1 on a ``LiveChain``: account 1 sponsors, 2–4 train, 5–6 evaluate; round 1 accepts every update and
/// agrees on a model.
enum TrainingScenario {
    /// Runs round 1 to model version 1 and returns the agreed model's hash.
    static func runFirstRound(on live: LiveChain) async throws -> SHA256Digest {
        try await self.block(live, [live.transaction(.createTask(TrainingFixtures.spec()), from: 1)])
        let data = SHA256Digest(hashing: Array("held-out data".utf8))
        try await self.block(
            live,
            (2...4).map { live.transaction(.joinTask(taskID: 1, role: .trainer, stake: 200, dataCommitment: nil), from: $0) }
                + (5...6).map {
                    live.transaction(.joinTask(taskID: 1, role: .evaluator, stake: 300, dataCommitment: data), from: $0)
                }
        )
        while await live.chain.view.state.tasks[1]?.round == 0 { try await live.produceBlock() }
        let selected = try #require(await live.chain.view.state.rounds[1]?[1]).selected.map { address in
            (2...4).first { ChainFixtures.address($0) == address }!
        }
        let blobs = selected.map { SHA256Digest(hashing: Array("update \($0)".utf8)) }
        try await self.block(
            live,
            zip(selected, blobs).map {
                live.transaction(RoundPayloads.commitUpdate($0.0, taskID: 1, round: 1, blob: $0.1), from: $0.0)
            })
        try await self.block(
            live,
            zip(selected, blobs).map {
                live.transaction(RoundPayloads.revealUpdate($0.0, taskID: 1, round: 1, blob: $0.1), from: $0.0)
            })
        let assessments = [UpdateAssessment](repeating: RoundPayloads.useful(1_000), count: selected.count)
        try await self.block(
            live,
            (5...6).map {
                live.transaction(RoundPayloads.commitScores($0, taskID: 1, round: 1, assessments: assessments), from: $0)
            })
        try await self.block(
            live,
            (5...6).map {
                live.transaction(RoundPayloads.revealScores($0, taskID: 1, round: 1, assessments: assessments), from: $0)
            })
        let model = SHA256Digest(hashing: Array("round 1 aggregate".utf8))
        try await self.block(
            live,
            (5...6).map {
                live.transaction(
                    .attestModel(taskID: 1, round: 1, model: model, metricBasisPoints: 9_000, improvement: 20_000,
                                 improvementError: 1_000),
                    from: $0)
            }
        )
        #expect(await live.chain.view.state.tasks[1]?.version == 1)
        return model
    }

    private static func block(_ live: LiveChain, _ transactions: [Transaction]) async throws {
        for transaction in transactions {
            _ = try await live.chain.submit(encoding: transaction.canonicalEncoding)
        }
        try await live.produceBlock()
        for transaction in transactions {
            let receipt = try #require(try await live.chain.database.receipt(transaction.hash))
            #expect(receipt.succeeded, "\(receipt.message)")
        }
    }
}
