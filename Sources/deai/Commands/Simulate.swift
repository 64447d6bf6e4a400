// `deai simulate`: Tendermint among N validators under the deterministic simulator, over many seeds.

import ArgumentParser
import DeAICore
import DeAITesting
import Foundation

/// `deai simulate [--validators N] [--seeds N | --seed S] [--first-seed S] [--heights N] [--json]`.
///
/// Each seed is one run of ``ConsensusSimulation``: the validators' real consensus machines and chain cores over a
/// simulated network and clock, with the delays, drops, duplicates, partition, crash and Byzantine validator the
/// seed draws. Runs are spread over every core. A run that breaks a property prints the one command that replays
/// it exactly; the exit status is 1 when any run did.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run Tendermint among simulated validators over many seeds and check safety and liveness."
    )

    @Option(help: "Validators (1–16), each with the same power") var validators = 4
    @Option(help: "How many seeds to run, from --first-seed") var seeds: UInt64 = 1_000
    @Option(help: "The first seed") var firstSeed: UInt64 = 0
    @Option(help: "Run this one seed only (and print its run)") var seed: UInt64?
    @Option(help: "The height every honest validator must reach in each run") var heights: UInt64 = 6
    @Flag(help: "Machine-readable JSON on stdout") var json = false

    struct Summary: Codable {
        var validators: Int
        var seeds: UInt64
        var firstSeed: UInt64
        var violations: Int
        var failingSeeds: [UInt64]
        var firstViolations: [String]
        var runsWithEvidence: Int
        var simulatedSeconds: Double
        var wallSeconds: Double
        var simulatedSecondsPerWallSecond: Double

        private enum CodingKeys: String, CodingKey {
            case validators, seeds, violations
            case firstSeed = "first_seed", failingSeeds = "failing_seeds", firstViolations = "first_violations"
            case runsWithEvidence = "runs_with_evidence", simulatedSeconds = "simulated_seconds"
            case wallSeconds = "wall_seconds", simulatedSecondsPerWallSecond = "simulated_seconds_per_wall_second"
        }
    }

    func validate() throws {
        guard (1...16).contains(self.validators) else { throw ValidationError("--validators must be 1 to 16") }
        guard self.seeds >= 1 else { throw ValidationError("--seeds must be at least 1") }
        guard self.heights >= 1 else { throw ValidationError("--heights must be at least 1") }
    }

    func run() async throws {
        let first = self.seed ?? self.firstSeed
        let count = self.seed == nil ? self.seeds : 1
        let options = ConsensusSimulation.Options(validators: self.validators, heights: self.heights)
        let progress = StderrProgress(quiet: self.json)
        let started = ContinuousClock.now
        let reports = await ConsensusSimulation.run(
            seeds: first..<(first + count), options: options, lanes: ProcessInfo.processInfo.activeProcessorCount
        ) { done in
            if done % 500 == 0 { progress.say("\(done) of \(count) seeds run") }
        }
        let wall = (ContinuousClock.now - started).seconds
        let failing = reports.filter { !$0.violations.isEmpty }
        let simulated = reports.reduce(0) { $0 + $1.simulatedSeconds }
        let summary = Summary(
            validators: self.validators, seeds: count, firstSeed: first,
            violations: failing.reduce(0) { $0 + $1.violations.count }, failingSeeds: failing.map(\.seed),
            firstViolations: failing.prefix(5).flatMap { report in report.violations.prefix(3).map { "seed \(report.seed): \($0)" } },
            runsWithEvidence: reports.filter(\.evidenceReported).count, simulatedSeconds: simulated, wallSeconds: wall,
            simulatedSecondsPerWallSecond: wall > 0 ? simulated / wall : 0)
        try Output.emit(summary, json: self.json) { summary in
            var lines = Output.table([
                ("validators", "\(summary.validators)"), ("seeds run", "\(summary.seeds) from \(summary.firstSeed)"),
                ("violations", "\(summary.violations) in \(summary.failingSeeds.count) runs"),
                ("runs where the equivocator was reported", "\(summary.runsWithEvidence)"),
                ("simulated", String(format: "%.0f s in %.1f s of wall clock (%.0f× real time)", summary.simulatedSeconds, summary.wallSeconds, summary.simulatedSecondsPerWallSecond)),
            ])
            if count == 1, let report = reports.first {
                lines.append("run: \(report.plan); every honest validator reached height \(report.height) in \(report.events) events")
            }
            lines += summary.firstViolations
            lines += failing.prefix(5).map { "replay: deai simulate --validators \(self.validators) --heights \(self.heights) --seed \($0.seed)" }
            return lines
        }
        if !failing.isEmpty { throw ExitCode(1) }
    }
}
