// One run of `deai bench consensus`: four validator processes, paced signed transfers, commit times observed.

import APITypes
import Consensus
import DeAICore
import Foundation
import Ledger
import Node
import Synchronization

/// Signed transfers offered at a steady rate to the APIs of a testnet of four `deai start` processes on loopback,
/// each transfer timed from its submission to the moment node 0 reports the block that holds it committed.
struct ConsensusRun: Codable {
    var offeredPerSecond: Double
    var committedPerSecond: Double
    var transactions: Int
    var seconds: Double
    var p50Milliseconds: Double
    var p99Milliseconds: Double
    var blocks: UInt64
    /// Blocks decided in a later round than the first: a proposal that came too late, or a missing proposer.
    var laterRounds: Int
    var killedValidator: Bool

    /// Submissions go out every tick, each lane a slice of the rate.
    static let tick = Duration.milliseconds(50)

    static func measure(
        _ workload: ChainWorkload, rate: Int, killOne: Bool, progress: StderrProgress
    ) async throws -> ConsensusRun {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deai-bench-consensus-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let nodes = try Self.makeTestnet(workload, in: directory)
        defer { for node in nodes { node.stop() } }
        for node in nodes { try await node.start() }
        let clients = try nodes.map { try NodeClient(baseURL: $0.apiURL, timeout: .seconds(30)) }
        while try await clients[0].status().height < 2 { try await Task.sleep(for: .milliseconds(50)) }
        let startHeight = try await clients[0].status().height

        let watcher = CommitWatcher(client: clients[0])
        let watching = Task { await watcher.watch() }
        // Clients use nodes 0 to 2 when node 3 is to be killed: the run measures consensus without it, not clients
        // of a dead API.
        let entryNodes = killOne ? Array(clients.prefix(3)) : clients
        let killer = Task {
            guard killOne else { return }
            try await Task.sleep(for: .seconds(Double(workload.transactions.count) / Double(rate) / 3))
            progress.say("killing validator 3 (SIGKILL)…")
            nodes[3].kill()
        }
        let submitted = try await Self.submit(workload, rate: rate, to: entryNodes)
        progress.say("all \(workload.transactions.count) admitted; waiting for their commits…")
        let last: Height
        do {
            last = try await Self.waitForCommits(of: workload.transactions.map(\.hash), client: clients[0])
        } catch {
            let logs = nodes.enumerated().map { "validator \($0.offset):\n\($0.element.logTail())" }.joined(separator: "\n")
            throw CLIError("\(error)\n\(logs)")
        }
        while (watcher.seen.keys.max() ?? 0) < last { try await Task.sleep(for: .milliseconds(5)) }
        killer.cancel()
        watching.cancel()
        let seen = watcher.seen
        return try await Self.result(
            workload, rate: rate, killOne: killOne, submitted: submitted, seen: seen, heights: startHeight...last,
            client: clients[0])
    }

    /// A testnet of four validators in `directory` whose genesis funds the workload's senders, each node's
    /// mempool and API sized for the run.
    private static func makeTestnet(_ workload: ChainWorkload, in directory: String) throws -> [NodeProcess] {
        let options = TestnetInitializer.Options(
            validators: 4, chainID: ChainWorkload.chainID,
            extraAccounts: workload.senders.map { .init(address: $0.verifyingKey.address, balance: 1_000_000_000) })
        let testnet = try TestnetInitializer(options: options).initialize(
            directory: directory, now: UInt64(Date().timeIntervalSince1970 * 1_000))
        return try testnet.nodes.map { member in
            var configuration = try NodeConfiguration(contentsOf: member.home.configurationFile)
            configuration.chain.mempool.maxTransactions = workload.transactions.count + 1
            configuration.chain.mempool.maxBytes = 1 << 30
            configuration.api.maxBodyBytes = 16 << 20
            try SecureFile.write(configuration.jsonBytes, to: member.home.configurationFile)
            return try NodeProcess(home: member.home)
        }
    }

    /// Sends the transfers in lanes, one per entry node, each sender's in nonce order, `rate` a second in all.
    /// - Returns: when each transfer was submitted.
    private static func submit(_ workload: ChainWorkload, rate: Int, to nodes: [NodeClient]) async throws -> [SHA256Digest: ContinuousClock.Instant] {
        let senderCount = workload.senders.count
        let perTick = max(1, Int(Double(rate) * Self.tick.seconds / Double(nodes.count)))
        return try await withThrowingTaskGroup(of: [SHA256Digest: ContinuousClock.Instant].self) { group in
            for (lane, node) in nodes.enumerated() {
                let mine = workload.transactions.enumerated().filter { ($0.offset % senderCount) % nodes.count == lane }.map(\.element)
                group.addTask {
                    var times: [SHA256Digest: ContinuousClock.Instant] = [:]
                    var next = ContinuousClock.now
                    for start in stride(from: 0, to: mine.count, by: perTick) {
                        try await Task.sleep(until: next)
                        next += Self.tick
                        let batch = mine[start..<min(start + perTick, mine.count)]
                        let now = ContinuousClock.now
                        let answer = try await node.submitBatch(encodings: batch.map(\.encoding))
                        guard answer.rejected == 0 else {
                            let reason = answer.results.compactMap(\.error).first.map { "\($0.name): \($0.message)" } ?? "?"
                            throw CLIError("a node refused \(answer.rejected) transfers: \(reason)")
                        }
                        for transaction in batch { times[transaction.hash] = now }
                    }
                    return times
                }
            }
            var all: [SHA256Digest: ContinuousClock.Instant] = [:]
            for try await times in group { all.merge(times) { first, _ in first } }
            return all
        }
    }

    /// Waits until node 0 has a receipt for every transfer (the last of the list first), at most two minutes.
    /// - Returns: node 0's height then.
    private static func waitForCommits(of hashes: [SHA256Digest], client: NodeClient) async throws -> Height {
        let deadline = ContinuousClock.now + .seconds(120)
        for hash in hashes.reversed() {
            while (try? await client.transaction(hash)) == nil {
                guard ContinuousClock.now < deadline else { throw CLIError("transfer \(hash) was not committed within 120 s") }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        return try await client.status().height
    }

    /// Latencies from the blocks' transfers and the moments their heights were seen; every transfer must be in one.
    private static func result(
        _ workload: ChainWorkload, rate: Int, killOne: Bool, submitted: [SHA256Digest: ContinuousClock.Instant],
        seen: [Height: ContinuousClock.Instant], heights: ClosedRange<Height>, client: NodeClient
    ) async throws -> ConsensusRun {
        var latencies: [Double] = []
        var lastCommit: ContinuousClock.Instant?
        var committedAt: ContinuousClock.Instant?
        var laterRounds = 0
        for height in heights.reversed() {
            // A height the watcher skipped was committed no later than the next one it saw.
            committedAt = seen[height] ?? committedAt
            guard let when = committedAt else { continue }
            let block = try await client.block(height)
            if (block.commit?.round ?? 0) > 0 { laterRounds += 1 }
            for hash in block.transactions {
                guard let sent = submitted[hash] else { continue }
                latencies.append(max(0, (when - sent).seconds * 1_000))
                lastCommit = max(lastCommit ?? when, when)
            }
        }
        let found = latencies.count
        guard found == workload.transactions.count else {
            throw CLIError("\(workload.transactions.count - found) of \(workload.transactions.count) transfers are in no block")
        }
        latencies.sort()
        guard let lastCommit, let first = submitted.values.min() else { throw CLIError("no transfer was committed") }
        let seconds = (lastCommit - first).seconds
        return ConsensusRun(
            offeredPerSecond: Double(rate), committedPerSecond: Double(found) / seconds, transactions: found, seconds: seconds,
            p50Milliseconds: latencies[latencies.count / 2], p99Milliseconds: latencies[min(latencies.count - 1, latencies.count * 99 / 100)],
            blocks: heights.upperBound - heights.lowerBound, laterRounds: laterRounds, killedValidator: killOne)
    }
}

/// Polls a node's height every few milliseconds and remembers when it first saw each one.
final class CommitWatcher: Sendable {
    private let client: NodeClient
    private let moments = Mutex<[Height: ContinuousClock.Instant]>([:])

    init(client: NodeClient) {
        self.client = client
    }

    /// When each height was first seen.
    var seen: [Height: ContinuousClock.Instant] { self.moments.withLock { $0 } }

    /// Polls until cancelled.
    func watch() async {
        while !Task.isCancelled {
            if let height = try? await self.client.status().height {
                let now = ContinuousClock.now
                self.moments.withLock { moments in
                    if moments[height] == nil { moments[height] = now }
                }
            }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}
