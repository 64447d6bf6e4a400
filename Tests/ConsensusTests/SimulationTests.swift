// ConsensusTests: Tendermint among several validators under the deterministic simulator.

import Consensus
import DeAITesting
import Foundation
import Testing

struct SimulationTests {
    @Test("four validators agree on every height over 1,000 seeds of delays, drops, partitions, crashes and an equivocator")
    func fourValidators() async {
        let reports = await ConsensusSimulation.run(
            seeds: 0..<1_000, options: .init(validators: 4), lanes: ProcessInfo.processInfo.activeProcessorCount)
        for report in reports where !report.violations.isEmpty {
            Issue.record("seed \(report.seed) (\(report.plan)): \(report.violations); replay: deai simulate --validators 4 --seed \(report.seed)")
        }
        #expect(reports.count == 1_000)
        // Every run with a Byzantine validator that equivocated had it reported; at least some runs had one.
        #expect(reports.contains { $0.evidenceReported })
    }

    @Test("one, two and seven validators decide too", arguments: [1, 2, 7])
    func otherSizes(validators: Int) async {
        let reports = await ConsensusSimulation.run(
            seeds: 0..<50, options: .init(validators: validators), lanes: ProcessInfo.processInfo.activeProcessorCount)
        for report in reports where !report.violations.isEmpty {
            Issue.record("seed \(report.seed) (\(report.plan)): \(report.violations); replay: deai simulate --validators \(validators) --seed \(report.seed)")
        }
        #expect(reports.allSatisfy { $0.height >= 6 })
    }

    @Test("a seed replays exactly")
    func replay() {
        var first = ConsensusSimulation(seed: 77)
        var second = ConsensusSimulation(seed: 77)
        #expect(first.run() == second.run())
    }
}
