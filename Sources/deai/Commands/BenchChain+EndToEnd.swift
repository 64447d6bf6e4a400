// The end-to-end run of `deai bench chain`: a real node, real HTTP on loopback, fsync'd commits.

import API
import APITypes
import Consensus
import DeAICore
import Foundation
import Ledger
import Logging
import Node
import Storage

/// Signed transfers submitted through the HTTP API of a node (on loopback, port 0) that produces a block every
/// `blockInterval` and fsyncs each to SQLite; the clock runs from the first submission to the last receipt.
struct EndToEndRun: Codable {
    var transactionsPerSecond: Double
    var seconds: Double
    var blocks: UInt64
    var clients: Int
    var batchSize: Int
    var blockIntervalMilliseconds: Int

    static func measure(
        _ workload: ChainWorkload, clients: Int = 4, batchSize: Int = 500, blockInterval: Duration = .milliseconds(250),
        progress: StderrProgress
    ) async throws -> EndToEndRun {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deai-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let logger = { var logger = Logger(label: "deai.bench"); logger.logLevel = .warning; return logger }()
        let configuration = NodeConfiguration(
            api: APIConfiguration(host: "127.0.0.1", port: 0, maxBodyBytes: 16 << 20),
            chain: ChainConfiguration(
                mempool: MempoolConfiguration(maxTransactions: workload.transactions.count + 1),
                maxBlockTransactions: workload.transactions.count),
            blockInterval: blockInterval)
        let home = NodeHome(path: directory.path)
        try home.provision(genesis: workload.genesis, validatorKey: workload.validatorKey, configuration: configuration)
        let node = try await Node.open(home: home, configuration: configuration, logger: logger)
        let running = try await node.start { chain, onListening in
            makeAPIApplication(
                chain: chain, configuration: configuration.api, metrics: nil, logger: logger, onServerRunning: onListening)
        }
        do {
            let run = try await Self.drive(
                workload, chain: node.chain, apiURL: running.apiURL, clients: clients, batchSize: batchSize,
                blockInterval: blockInterval, progress: progress)
            try await running.stop()
            return run
        } catch {
            try? await running.stop()
            throw error
        }
    }

    private static func drive(
        _ workload: ChainWorkload, chain: Chain, apiURL: String, clients: Int, batchSize: Int,
        blockInterval: Duration, progress: StderrProgress
    ) async throws -> EndToEndRun {
        let client = try NodeClient(baseURL: apiURL)
        let startHeight = await chain.view.height
        let start = ContinuousClock.now
        let lastOfEachClient = try await Self.submitAll(workload, clients: clients, batchSize: batchSize, client: client)
        progress.say("all \(workload.transactions.count) admitted; waiting for the last commits…")
        for hash in lastOfEachClient where await chain.waitForReceipt(hash, timeout: .seconds(120)) == nil {
            throw CLIError("transfer \(hash) was not committed within 120 s")
        }
        let elapsed = (ContinuousClock.now - start).seconds
        try await Self.checkEveryReceipt(workload, database: chain.database)
        return EndToEndRun(
            transactionsPerSecond: Double(workload.transactions.count) / elapsed, seconds: elapsed,
            blocks: await chain.view.height - startHeight, clients: clients, batchSize: batchSize,
            blockIntervalMilliseconds: Int(blockInterval.seconds * 1_000)
        )
    }

    /// `clients` concurrent HTTP clients, each owning a disjoint set of senders and sending their transfers in
    /// nonce order, `batchSize` per request.
    /// - Returns: the hash of each client's last transfer.
    private static func submitAll(
        _ workload: ChainWorkload, clients: Int, batchSize: Int, client: NodeClient
    ) async throws -> [SHA256Digest] {
        let senderCount = workload.senders.count
        return try await withThrowingTaskGroup(of: SHA256Digest?.self) { group in
            for lane in 0..<clients {
                let mine = workload.transactions.enumerated().filter { ($0.offset % senderCount) % clients == lane }.map(\.element)
                group.addTask {
                    for start in stride(from: 0, to: mine.count, by: batchSize) {
                        let batch = mine[start..<min(start + batchSize, mine.count)].map(\.encoding)
                        let answer = try await client.post(
                            "/v1/txs", body: SubmitRequest(transactions: batch), as: SubmitBatchResult.self
                        )
                        guard answer.rejected == 0 else {
                            let reason = answer.results.compactMap(\.error).first.map { "\($0.name): \($0.message)" } ?? "?"
                            throw CLIError("the node refused \(answer.rejected) transfers: \(reason)")
                        }
                    }
                    return mine.last?.hash
                }
            }
            var lastHashes: [SHA256Digest] = []
            for try await hash in group { if let hash { lastHashes.append(hash) } }
            return lastHashes
        }
    }

    /// Every transfer has a successful receipt in the database: nothing counted was lost.
    private static func checkEveryReceipt(_ workload: ChainWorkload, database: NodeDatabase) async throws {
        for transaction in workload.transactions {
            guard let receipt = try await database.receipt(transaction.hash), receipt.succeeded else {
                throw CLIError("transfer \(transaction.hash) has no successful receipt")
            }
        }
    }
}

/// What `deai bench chain` prints.
struct ChainBenchReport: Codable {
    var ceiling: VerificationCeiling
    var execution: ExecutionRun
    var endToEnd: EndToEndRun?

    var lines: [String] {
        let oneCore = self.ceiling.oneCorePerSecond
        var rows: [(String, String)] = [
            ("Ed25519 verify, 1 core", Self.rate(oneCore) + "  (the one-core ceiling)"),
            ("Ed25519 verify, \(self.ceiling.cores) cores", Self.rate(self.ceiling.allCoresPerSecond)),
            (
                "(a) block execution", Self.rate(self.execution.transactionsPerSecond)
                    + String(format: "  = %.0f%% of the 1-core ceiling (goal ≥ 70%%)", 100 * self.execution.transactionsPerSecond / oneCore)
            ),
            ("    produce + fsync'd commit", String(format: "%.1f ms per block", self.execution.produceAndCommitMillisecondsPerBlock)),
        ]
        if let run = self.endToEnd {
            rows.append(
                (
                    "(b) end to end, HTTP + fsync", Self.rate(run.transactionsPerSecond)
                        + String(format: "  (goal ≥ 5,000/s; %.2f s, %llu blocks, %d clients × %d per request)", run.seconds, run.blocks, run.clients, run.batchSize)
                )
            )
        }
        return ["deai bench chain — signed transfers on one node"] + Output.table(rows)
    }

    private static func rate(_ perSecond: Double) -> String { String(format: "%8.0f tx/s", perSecond) }
}
