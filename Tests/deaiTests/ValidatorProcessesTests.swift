// Validators as separate `deai start` processes on loopback: four that agree, go on with one killed, halt and say so
// with two killed, and resume when those return (the restarted ones catching up by block sync); one that lost its
// database and rebuilds it from peers; the devnet across four of them, and with one killed mid-training; and a
// seeded schedule of crashes and partitions under load.

import APITypes
import DeAICore
import Foundation
import Ledger
import Node
import Testing

/// Networks of validator processes, one test at a time: each runs four to eight node processes on two cores.
@Suite("Validator processes", .serialized, .timeLimit(.minutes(4)))
struct ValidatorProcessesTests {
    /// The four nodes of `deai testnet init`, some running.
    final class Testnet: @unchecked Sendable {
        let directory: String
        var nodes: [RunningNode?] = [nil, nil, nil, nil]

        init(directory: String) { self.directory = directory }

        func home(_ index: Int) -> String { "\(self.directory)/node\(index)" }

        func start(_ index: Int, arguments: [String] = []) async throws {
            self.nodes[index] = try await RunningNode.start(home: self.home(index), arguments: arguments)
        }

        func crash(_ index: Int) async {
            await self.nodes[index]?.crash()
            self.nodes[index] = nil
        }

        func api(_ index: Int) throws -> HTTPJSON {
            HTTPJSON(port: try #require(self.nodes[index], "node \(index) is not running").port)
        }

        func status(_ index: Int) async throws -> StatusView { try await self.api(index).get("/v1/status", as: StatusView.self) }

        func killAll() { for node in self.nodes { node?.killIfRunning() } }

        var logs: String {
            self.nodes.enumerated().map { "node\($0.offset):\n\($0.element?.logText().suffix(4_000) ?? "stopped")" }.joined(separator: "\n")
        }
    }

    /// Polls `condition` until it holds or `timeout` passes.
    static func eventually(within timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (try? await condition()) == true { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }

    @Test("one of four killed: blocks go on; two: the chain halts naming them; back: it resumes and all agree on every block")
    func liveness() async throws {
        try await self.withTestnet(self.run)
    }

    /// Runs `body` on a fresh four-validator testnet, with the nodes' logs in the failure when it throws.
    private func withTestnet(_ body: (Testnet) async throws -> Void) async throws {
        try await withTemporaryDirectory { directory in
            let initialized = try await DeAIExecutable.run(["testnet", "init", "--validators", "4", "--dir", directory])
            try #require(initialized.status == 0, "\(initialized.stderr)")
            let testnet = Testnet(directory: directory)
            defer { testnet.killAll() }
            do {
                try await body(testnet)
            } catch {
                throw TestFailure("\(error)\n\(testnet.logs)")
            }
        }
    }

    @Test("a validator that lost its database refuses to start, then rebuilds it from peers with --rebuild and votes again")
    func rebuildLostDatabase() async throws {
        try await self.withTestnet { testnet in
            for index in 0..<4 { try await testnet.start(index) }
            #expect(try await Self.eventually { try await (0..<4).asyncAll { try await testnet.status($0).height >= 5 } })
            await testnet.crash(3)
            let database = NodeHome(path: testnet.home(3)).databaseFile
            for file in [database, database + "-wal", database + "-shm"] { try? FileManager.default.removeItem(atPath: file) }

            let refused = try await DeAIExecutable.run(["start", "--home", testnet.home(3), "--api-port", "0"])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("already signed height") && refused.stderr.contains("--rebuild"), "\(refused.stderr)")

            try await testnet.start(3, arguments: ["--rebuild"])
            let reached = try await testnet.status(0).height
            #expect(try await Self.eventually { try await testnet.status(3).height >= reached }, "the rebuilt node did not catch up")
            // Three of four must sign from here: the rebuilt validator is one of them.
            await testnet.crash(2)
            let before = try await testnet.status(0).height
            #expect(try await Self.eventually { try await testnet.status(0).height >= before + 3 },
                    "with validator 2 down the chain needs the rebuilt validator's votes, and stopped")
            let top = try await testnet.status(3).height
            for height in 1...top {
                let hashes = try await [0, 1, 3].asyncMap { try await testnet.api($0).get("/v1/blocks/\(height)", as: BlockView.self).hash }
                #expect(Set(hashes).count == 1, "the rebuilt node holds another block at height \(height)")
            }
        }
    }

    private func run(_ testnet: Testnet) async throws {
        for index in 0..<4 { try await testnet.start(index) }
        let sender = try KeyFile.read(from: "\(testnet.home(0))/keys/default.json").signingKey(passphrase: nil, path: "default")
        var nonce: UInt64 = 0
        var acknowledged: [SHA256Digest] = []
        /// Submits a transfer through `entry` and waits until `observer` has it committed.
        func transfer(through entry: Int, seenBy observer: Int) async throws {
            let body = TransactionBody(
                chainID: "deai-testnet", sender: sender.verifyingKey, nonce: nonce, fee: 1,
                payload: .transfer(to: try Address(bytes: [UInt8](repeating: 9, count: 20)), amount: 1))
            let transaction = try Transaction(signing: body, with: sender)
            _ = try await testnet.api(entry).post("/v1/txs", body: SubmitRequest(transaction: transaction.canonicalEncoding), as: SubmitResult.self)
            nonce += 1
            #expect(try await Self.eventually { try await testnet.api(observer).getIfFound("/v1/txs/\(transaction.hash)", as: TransactionView.self) != nil },
                    "a transfer submitted to node \(entry) did not reach node \(observer)")
            acknowledged.append(transaction.hash)
        }

        #expect(try await Self.eventually { try await (0..<4).asyncAll { try await testnet.status($0).height >= 3 } })
        try await transfer(through: 1, seenBy: 3)

        await testnet.crash(3)
        let before = try await testnet.status(0).height
        #expect(try await Self.eventually { try await testnet.status(0).height >= before + 5 }, "one validator down stopped the chain")
        try await transfer(through: 2, seenBy: 0)

        await testnet.crash(2)
        #expect(try await Self.eventually { try await testnet.status(0).waitingForPower?.absent.count == 2 }, "two down, and the chain did not say so")
        let halted = try await testnet.status(1).height
        try await Task.sleep(for: .seconds(1))
        #expect(try await testnet.status(1).height <= halted + 1, "a chain with half its power absent went on")

        try await testnet.start(2)
        try await testnet.start(3)
        #expect(try await Self.eventually { try await (0..<4).asyncAll { try await testnet.status($0).height >= halted + 5 } },
                "the chain did not resume, or a restarted validator did not catch up")
        try await transfer(through: 3, seenBy: 1)

        let top = try await (0..<4).asyncMap { try await testnet.status($0).height }.min() ?? 0
        for height in 1...top {
            let hashes = try await (0..<4).asyncMap { try await testnet.api($0).get("/v1/blocks/\(height)", as: BlockView.self).hash }
            #expect(Set(hashes).count == 1, "the nodes disagree at height \(height)")
        }
        for hash in acknowledged {
            for index in 0..<4 {
                #expect(try await testnet.api(index).getIfFound("/v1/txs/\(hash)", as: TransactionView.self) != nil, "node \(index) lost \(hash)")
            }
        }
        for index in 0..<4 {
            #expect(try await testnet.nodes[index]?.stop() == 0, "node \(index) did not stop cleanly")
        }
    }
    /// Once, in a full-suite run, a participant here waited minutes for a phase deadline: a transaction a node had
    /// admitted never reached a block. Participants now submit until a block holds what they send.
    @Test("deai devnet --validators 4 trains across four validator processes, names them, and reaches the single-process result")
    func fourValidators() async throws {
        try await withTemporaryDirectory { directory in
            let result = try await DeAIExecutable.run(["devnet", "--validators", "4", "--rounds", "3", "--directory", directory])
            try #require(result.status == 0, "\(result.stderr)")
            for index in 0..<4 { #expect(result.stdout.contains("validator-\(index)  API http://127.0.0.1:")) }
            let single = try await DeAIExecutable.run(["devnet", "--rounds", "3"])
            try #require(single.status == 0, "\(single.stderr)")
            let finalLine = { (output: String) in output.split(separator: "\n").first { $0.hasPrefix("final accuracy") } }
            #expect(finalLine(result.stdout) != nil)
            #expect(finalLine(result.stdout) == finalLine(single.stdout), "the same seed trains the same model on one validator or four")
        }
    }
    @Test("a validator killed as a round opens strands its participants; the round closes at its deadline with the rest, and every token is accounted for on every node")
    func roundWithACrashedValidator() async throws {
        try await withTemporaryDirectory { directory in
            let result = try await DeAIExecutable.run([
                "devnet", "--validators", "4", "--evaluators", "4", "--rounds", "2", "--phase-blocks", "30",
                "--crash-validator-at-round", "2", "--directory", directory,
            ])
            try #require(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("validator-3 killed (SIGKILL) as round 2 opened; stranded with it: owner-04, owner-08, evaluator-3"))
            let second = result.stdout.split(separator: "\n").first { $0.hasPrefix("round  2") }.map(String.init)
            #expect(second?.contains("new_version") == true, "round 2 did not close with the rest: \(second ?? "no line")")
            for node in 0..<4 {
                let replay = try await DeAIExecutable.run(["replay", "--home", "\(directory)/validators/node\(node)", "--json"])
                #expect(replay.status == 0, "node \(node): \(replay.stderr)")
                let audit = try replay.json()
                #expect(audit["supply"] as? Int != nil && audit["supply"] as? Int == audit["accounted_supply"] as? Int)
            }
        }
    }

    @Test("kill -9, SIGSTOP, restarts and partitions on a seeded schedule while transfers flow: agreement, verified commits, no committed transfer lost, progress after")
    func shortSchedule() async throws {
        let result = try await DeAIExecutable.run(["testnet", "perturb", "--validators", "4", "--duration", "15", "--seed", "3", "--json"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let report = try result.json()
        #expect((report["violations"] as? [String]) == [])
        #expect(((report["faults"] as? [Any])?.count ?? 0) >= 3)
        #expect((report["acknowledgedTransfers"] as? Int ?? 0) > 0)
        #expect(report["resumed"] as? Bool == true)
    }
}

extension Sequence {
    /// `transform` of every element, in order.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async throws -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}

extension Range<Int> {
    /// Whether `predicate` holds for every element, asked in order.
    func asyncAll(_ predicate: (Int) async throws -> Bool) async throws -> Bool {
        for element in self where !(try await predicate(element)) { return false }
        return true
    }

}
