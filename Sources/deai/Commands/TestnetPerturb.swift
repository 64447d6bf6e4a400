// `deai testnet perturb`: a seeded schedule of crashes, freezes and restarts while transfers flow, then the checks.

import ArgumentParser
import DeAICore
import DeAITesting
import Foundation
import Node

/// `deai testnet perturb [--dir DIR] [--validators N] [--seed S] [--duration SECONDS] [--json]`.
///
/// Starts every node of a testnet (`deai testnet init`'s directory, or a new one of `--validators` validators in a
/// temporary directory) as its own process, sends transfers through them, and applies a schedule drawn from the
/// seed, one at a time: a validator killed with SIGKILL and restarted, frozen with SIGSTOP and thawed, stopped with
/// SIGTERM and restarted, or cut off from the others; or the network split in two halves, neither with the votes to
/// commit. Nodes reach each other through proxies the schedule cuts (``PerturbLinks``). Afterwards every node must hold the same block at every height, every commit must
/// verify from the genesis validators on, every transfer a node reported committed must be committed on every node,
/// and blocks must be committed again once the faults end. Exits 1 when any of that fails.
struct TestnetPerturbCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perturb",
        abstract: "Crash, freeze, restart and partition validators on a seeded schedule while transfers flow; then check agreement."
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "A testnet directory from `deai testnet init` (default: a new one in a temporary directory)") var dir: String?
    @Option(help: "Validators of the new testnet when --dir is not given") var validators = 4
    @Option(help: "Seed of the schedule") var seed: UInt64 = 1
    @Option(help: "Seconds of faults") var duration = 30

    func run() async throws {
        guard self.duration > 0 else { throw ValidationError("--duration must be positive") }
        let progress = StderrProgress(quiet: self.global.json)
        let temporary = self.dir == nil
        let directory = self.dir.map { NodeHome(path: $0).path }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("deai-perturb-\(UUID().uuidString)").path
        defer { if temporary { try? FileManager.default.removeItem(atPath: directory) } }
        if temporary {
            _ = try TestnetInitializer(options: .init(validators: self.validators)).initialize(
                directory: directory, now: UInt64(Date().timeIntervalSince1970 * 1_000))
        }
        let nodes = try Self.nodes(in: directory)
        let schedule = FaultSchedule(seed: self.seed, nodes: nodes.count, duration: .seconds(self.duration))
        progress.say("\(nodes.count) validators in \(directory); \(schedule.faults.count) faults over \(self.duration) s (seed \(self.seed))")
        let report = try await PerturbRun(nodes: nodes, schedule: schedule, progress: progress).run()
        try Output.emit(report, json: self.global.json) { $0.lines }
        guard report.violations.isEmpty else { throw ExitCode(1) }
    }

    /// The node processes of the testnet in `directory`: `node0`, `node1`, … while they exist.
    private static func nodes(in directory: String) throws -> [NodeProcess] {
        var nodes: [NodeProcess] = []
        while TestnetInitializer.home(nodes.count, in: directory).isInitialized {
            nodes.append(try NodeProcess(home: TestnetInitializer.home(nodes.count, in: directory)))
        }
        guard !nodes.isEmpty else { throw CLIError("no testnet in \(directory): run `deai testnet init --dir \(directory)` first") }
        return nodes
    }
}

/// A seeded schedule of faults, one at a time, each followed by its recovery.
struct FaultSchedule: Codable {
    /// What happens to a node.
    enum Kind: String, Codable, CaseIterable {
        /// SIGKILL, then a restart.
        case kill
        /// SIGSTOP, then SIGCONT.
        case freeze
        /// SIGTERM (a clean stop), then a restart.
        case restart
        /// Every link between the node and the others cut, then restored.
        case isolate
        /// The network cut in two: the node and the ⌊N/2⌋ − 1 after it (in index order, wrapping) on one side.
        case split
    }

    /// One fault: at `start` seconds in, `node` suffers `kind` for `seconds`.
    struct Fault: Codable {
        var start: Double
        var node: Int
        var kind: Kind
        var seconds: Double
    }

    var faults: [Fault]

    /// The nodes on `fault.node`'s side of a partition, of `nodes` in all.
    static func side(of fault: Fault, nodes: Int) -> Set<Int> {
        switch fault.kind {
        case .isolate: [fault.node]
        case .split: Set((0..<max(nodes / 2, 1)).map { (fault.node + $0) % nodes })
        case .kill, .freeze, .restart: []
        }
    }

    /// Faults from 1 s in until `duration`, each lasting 1 to 4 s, 0.5 to 2 s apart, on nodes drawn from `seed`.
    init(seed: UInt64, nodes: Int, duration: Duration) {
        var generator = SeededGenerator(seed: seed)
        var faults: [Fault] = []
        var time = 1.0
        while true {
            let seconds = Double.random(in: 1...4, using: &generator)
            guard time + seconds <= duration.seconds else { break }
            faults.append(Fault(
                start: time, node: Int.random(in: 0..<nodes, using: &generator),
                kind: Kind.allCases.randomElement(using: &generator) ?? .kill, seconds: seconds))
            time += seconds + Double.random(in: 0.5...2, using: &generator)
        }
        self.faults = faults
    }
}
