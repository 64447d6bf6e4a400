// `deai bench consensus`: four validator processes deciding signed transfers, beside a three-member etcd cluster.

import ArgumentParser
import Foundation

/// Measures committed signed transfers per second and the time from submission to commit on a testnet of four
/// validator processes on loopback (TLS links, Tendermint rounds, every block fsync'd by every node), at a steady
/// offered load, then the same with one validator killed a third of the way in; beside etcd's `check perf` on a
/// three-member Raft cluster (`../shared/peers/etcd_bench.sh`), run in the same invocation.
struct BenchConsensusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consensus",
        abstract: "Measure four validator processes deciding signed transfers, beside a 3-member etcd cluster."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Transfers offered per second.")
    var rate = 6_000

    @Option(help: "Seconds of offered load per run.")
    var seconds = 10

    @Option(help: "Distinct senders (each sends its transfers in nonce order).")
    var senders = 600

    @Option(help: "The directory of the peer systems' scripts.")
    var peers = "../shared/peers"

    @Flag(help: "Skip the run with one validator killed.")
    var skipKill = false

    @Flag(help: "Skip etcd.")
    var skipEtcd = false

    mutating func run() async throws {
        guard self.rate > 0, self.seconds > 0, self.senders > 0 else {
            throw ValidationError("--rate, --seconds and --senders must be positive")
        }
        let progress = StderrProgress(quiet: self.global.json)
        let count = self.rate * self.seconds
        progress.say("signing \(count) transfers from \(self.senders) senders…")
        let workload = try ChainWorkload(transactions: count, senders: self.senders)
        progress.say("four validators, \(self.rate) transfers a second for \(self.seconds) s…")
        var report = ConsensusBenchReport(
            allUp: try await ConsensusRun.measure(workload, rate: self.rate, killOne: false, progress: progress))
        if !self.skipKill {
            progress.say("again, killing one validator a third of the way in…")
            report.oneKilled = try await ConsensusRun.measure(workload, rate: self.rate, killOne: true, progress: progress)
        }
        if !self.skipEtcd {
            progress.say("etcd, three members, check perf…")
            report.etcd = EtcdRun.measure(script: "\(self.peers)/etcd_bench.sh")
        }
        try Output.emit(report, json: self.global.json) { $0.lines }
    }
}

/// etcd's figure, from the peer's script's JSON line.
struct EtcdRun: Codable {
    var peer: String?
    var writesPerSecond: Double?
    var error: String?

    /// Runs `script` and reads its line; an error says why there is no figure.
    static func measure(script: String) -> EtcdRun {
        guard FileManager.default.fileExists(atPath: script) else {
            return EtcdRun(error: "\(script) not found")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return EtcdRun(error: "\(script) did not run: \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let writes = object["writes_per_s"] as? Double
        else { return EtcdRun(error: "\(script) printed no figure: \(line)") }
        return EtcdRun(peer: object["peer"] as? String, writesPerSecond: writes)
    }
}

/// What `deai bench consensus` prints.
struct ConsensusBenchReport: Codable {
    var allUp: ConsensusRun
    var oneKilled: ConsensusRun?
    var etcd: EtcdRun?

    var lines: [String] {
        var rows: [(String, String)] = [
            ("offered", String(format: "%.0f tx/s for %.0f s (%d signed transfers)", self.allUp.offeredPerSecond,
                               Double(self.allUp.transactions) / self.allUp.offeredPerSecond, self.allUp.transactions)),
            ("4 validators", Self.describe(self.allUp)),
        ]
        if let killed = self.oneKilled { rows.append(("1 of 4 killed mid-run", Self.describe(killed))) }
        if let etcd = self.etcd {
            if let writes = etcd.writesPerSecond {
                rows.append((etcd.peer ?? "etcd", String(format: "%8.0f writes/s (check perf)", writes)))
                var ratio = String(format: "%.2f× etcd", self.allUp.committedPerSecond / writes)
                if let killed = self.oneKilled { ratio += String(format: " (one killed: %.2f×)", killed.committedPerSecond / writes) }
                rows.append(("ratio", ratio + "  (goal ≥ 1×, p50 < 1 s)"))
            } else {
                rows.append(("etcd", "no figure: \(etcd.error ?? "?")"))
            }
        }
        return ["deai bench consensus — four validator processes on loopback, TLS, fsync'd blocks"] + Output.table(rows)
    }

    private static func describe(_ run: ConsensusRun) -> String {
        String(format: "%8.0f tx/s committed   p50 %4.0f ms   p99 %4.0f ms   (%llu blocks, %d after round 0)",
               run.committedPerSecond, run.p50Milliseconds, run.p99Milliseconds, run.blocks, run.laterRounds)
    }
}
