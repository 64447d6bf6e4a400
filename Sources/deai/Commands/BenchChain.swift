// `deai bench chain`: committed signed transfers per second on one node, beside the Ed25519 ceiling.

import ArgumentParser
import Consensus
import DeAICore
import Foundation
import Ledger
import Logging
import Storage

/// Measures the chain's throughput of signed transfers on one node.
///
/// (a) block execution alone: signature checks on all cores, the rules, and the new state root;
/// (b) end to end through the HTTP API, with every block fsync'd to SQLite before it counts as committed.
/// Both beside this machine's Ed25519 verifications per second on one core and on all cores, measured in the
/// same run: each transaction is verified once, so that is the ceiling.
struct BenchChainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain",
        abstract: "Measure committed signed transfers per second on one node."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Transfers per run.")
    var transactions = 20_000

    @Option(help: "Distinct senders (each sends its transfers in nonce order).")
    var senders = 500

    @Option(help: "Transfers per block in the execution run.")
    var blockSize = 10_000

    @Flag(help: "Skip the end-to-end HTTP run.")
    var skipHTTP = false

    mutating func run() async throws {
        guard self.transactions > 0, self.senders > 0, self.blockSize > 0 else {
            throw ValidationError("--transactions, --senders and --block-size must be positive")
        }
        let progress = StderrProgress(quiet: self.global.json)
        progress.say("signing \(self.transactions) transfers from \(self.senders) senders…")
        let workload = try ChainWorkload(transactions: self.transactions, senders: self.senders)

        progress.say("measuring Ed25519 verification (the ceiling)…")
        let ceiling = try VerificationCeiling.measure(workload.transactions)
        progress.say("executing blocks of \(self.blockSize)…")
        let execution = try await ExecutionRun.measure(workload, blockSize: self.blockSize)
        var report = ChainBenchReport(ceiling: ceiling, execution: execution, endToEnd: nil)
        if !self.skipHTTP {
            progress.say("end to end through the HTTP API with fsync'd commits…")
            report.endToEnd = try await EndToEndRun.measure(workload, progress: progress)
        }
        try Output.emit(report, json: self.global.json) { $0.lines }
    }
}

/// Progress lines on stderr, so stdout stays the result.
struct StderrProgress: Sendable {
    let quiet: Bool

    func say(_ line: String) {
        guard !self.quiet else { return }
        FileHandle.standardError.write(Data(("  " + line + "\n").utf8))
    }
}

/// Ed25519 verifications per second on this machine, on one core and on all cores: raw verifications of messages
/// prepared beforehand, with nothing of DeAI around them.
struct VerificationCeiling: Codable {
    var oneCorePerSecond: Double
    var allCoresPerSecond: Double
    var cores: Int

    static func measure(_ transactions: [VerifiedTransaction]) throws -> VerificationCeiling {
        let signed = transactions.map { ($0.transaction.body.sender, $0.transaction.signature, $0.transaction.body.signingBytes) }
        let sample = signed.prefix(5_000)
        var valid = 0
        let oneCore = Stopwatch.perSecond(count: sample.count) {
            for (key, signature, message) in sample where key.isValidSignature(signature, for: message) { valid += 1 }
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let counts = ValidCounts(lanes: cores)
        let allCores = Stopwatch.perSecond(count: signed.count) {
            DispatchQueue.concurrentPerform(iterations: cores) { lane in
                var laneValid = 0
                for index in stride(from: lane, to: signed.count, by: cores) {
                    let (key, signature, message) = signed[index]
                    if key.isValidSignature(signature, for: message) { laneValid += 1 }
                }
                counts.set(lane, laneValid)
            }
        }
        guard valid == sample.count, counts.total == signed.count else { throw CLIError("bench workload has an invalid signature") }
        return VerificationCeiling(oneCorePerSecond: oneCore, allCoresPerSecond: allCores, cores: cores)
    }
}

/// One counter per lane, each written by its lane only, read after `concurrentPerform` returns.
private final class ValidCounts: @unchecked Sendable {
    private let counts: UnsafeMutableBufferPointer<Int>

    init(lanes: Int) {
        self.counts = .allocate(capacity: lanes)
        self.counts.initialize(repeating: 0)
    }

    deinit { self.counts.deallocate() }

    func set(_ lane: Int, _ value: Int) { self.counts[lane] = value }

    var total: Int { self.counts.reduce(0, +) }
}

/// Block execution alone: what a validator does with a proposed block, minus the network and the disk.
struct ExecutionRun: Codable {
    var transactionsPerSecond: Double
    var blocks: Int
    var produceAndCommitMillisecondsPerBlock: Double

    static func measure(_ workload: ChainWorkload, blockSize: Int) async throws -> ExecutionRun {
        var state = try workload.genesis.makeState()
        var commitment = StateCommitment(state: state)
        let proposer = workload.validatorKey.verifyingKey.address
        let chunks = stride(from: 0, to: workload.transactions.count, by: blockSize).map {
            Array(workload.transactions[$0..<min($0 + blockSize, workload.transactions.count)])
        }
        var outcomes: [BlockOutcome] = []
        SignatureVerifier.forgetVerified()
        let start = ContinuousClock.now
        for (index, chunk) in chunks.enumerated() {
            guard SignatureVerifier.verify(chunk).allSatisfy({ $0 }) else { throw CLIError("bench workload has an invalid signature") }
            let context = BlockContext(
                height: UInt64(index + 1), time: workload.genesis.genesisTime + UInt64(index), proposer: proposer,
                previousBlockHash: .zero)
            outcomes.append(try StateTransition.applyBlock(chunk, to: &state, context: context))
            commitment.apply(outcomes[index].changes)
        }
        let elapsed = (ContinuousClock.now - start).seconds
        let failed = outcomes.flatMap(\.receipts).filter { !$0.succeeded }.count
        guard failed == 0 else { throw CLIError("\(failed) bench transfers failed") }
        return ExecutionRun(
            transactionsPerSecond: Double(workload.transactions.count) / elapsed, blocks: chunks.count,
            produceAndCommitMillisecondsPerBlock: try await Self.commitCost(workload, chunks: chunks)
        )
    }

    /// The time one block's SQLite commit takes (fsync'd), for the report.
    private static func commitCost(_ workload: ChainWorkload, chunks: [[VerifiedTransaction]]) async throws -> Double {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deai-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try NodeDatabase(path: directory.appendingPathComponent("chain.sqlite").path)
        let chain = try await Chain.open(
            database: database, genesis: workload.genesis, validatorKey: workload.validatorKey,
            configuration: ChainConfiguration(maxBlockTransactions: chunks.first?.count ?? 1), logger: .init(label: "bench")
        )
        var total: Duration = .zero
        for chunk in chunks {
            for transaction in chunk { try await chain.admit(transaction) }
            let start = ContinuousClock.now
            try await chain.produceBlock(time: workload.genesis.genesisTime)
            total += ContinuousClock.now - start
        }
        return total.seconds * 1_000 / Double(chunks.count)
    }
}

/// Timing helpers.
enum Stopwatch {
    static func perSecond(count: Int, _ work: () -> Void) -> Double {
        let start = ContinuousClock.now
        work()
        return Double(count) / (ContinuousClock.now - start).seconds
    }
}
