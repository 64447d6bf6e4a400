// `deai bench privacy --epsilons …`: the accuracy that centralized DP-SGD reaches at each ε, ours beside Opacus.

import Federation
import Foundation
import Learning

extension BenchPrivacyCommand {
    /// One point of the curve: a workload trained to spend `epsilon`, averaged over the seeds.
    struct CurvePoint: Encodable {
        var name: String
        /// The target ε (RDP, at ``BenchPrivacyCommand/delta``); `nil` for the run without privacy.
        var epsilon: Double?
        /// The noise multiplier that spends it, by our RDP accountant at our sampling rate.
        var sigma: Double?
        var deaiAccuracy: Double
        var opacusAccuracy: Double?
        /// The ε Opacus's own accountant reports for its run (its loader samples at 1 ÷ batches, a little lower).
        var opacusEpsilon: Double?
    }

    /// Breast cancer and digits, each with the MLP and SGD 0.1, momentum 0.9, for ``epochs`` epochs.
    private func curveWorkloads() -> [LearningWorkload] {
        let sgd = OptimizerSpec(kind: .sgd, learningRate: 0.1, momentum: 0.9)
        return [("breast cancer", "breast_cancer.csv", 32), ("digits", "digits.csv", 64)].map { name, file, batch in
            LearningWorkload(name: "mlp \(name)", train: "\(self.datasets)/\(file)", test: nil, model: "mlp",
                             batch: batch, optimizer: sgd, epochs: self.epochs)
        }
    }

    /// For each workload, the accuracy without privacy and at each ε of ``epsilons``: the same σ and C for DeAI
    /// and Opacus, the mean over ``seeds`` seeds.
    func runCurve(opacus: (python: String, script: String)?) throws {
        if !self.global.json {
            print("accuracy against ε: centralized DP-SGD, δ = \(self.delta), C = \(self.clip), \(self.epochs) epochs, "
                  + "mean of \(self.seeds) seed\(self.seeds == 1 ? "" : "s"); σ by the RDP accountant, the same for both")
        }
        var points: [CurvePoint] = []
        for workload in self.curveWorkloads() {
            let plain = try self.averaged(workload, opacus: nil)
            points.append(CurvePoint(name: workload.name, deaiAccuracy: plain.deai))
            let steps = Int((1 / plain.samplingRate).rounded(.up)) * self.epochs
            for epsilon in self.epsilons {
                let sigma = try RDPAccountant.noiseMultiplier(
                    targetEpsilon: epsilon, samplingRate: plain.samplingRate, steps: steps, delta: self.delta)
                var private_ = workload
                private_.privacy = (sigma, self.clip)
                let run = try self.averaged(private_, opacus: opacus)
                points.append(CurvePoint(name: workload.name, epsilon: epsilon, sigma: sigma, deaiAccuracy: run.deai,
                                         opacusAccuracy: run.opacus, opacusEpsilon: run.opacusEpsilon))
            }
            if !self.global.json { points.filter { $0.name == workload.name }.forEach(self.report) }
        }
        if self.global.json { try Output.printJSON(points) }
    }

    /// `workload`'s mean test accuracy over the seeds, ours and (with `opacus`) Opacus's.
    private func averaged(_ workload: LearningWorkload, opacus: (python: String, script: String)?) throws
        -> (deai: Double, opacus: Double?, opacusEpsilon: Double?, samplingRate: Double)
    {
        var (ours, peers, samplingRate) = ([Double](), [LearningWorkload.PeerRun](), 0.0)
        for seed in 0..<UInt64(self.seeds) {
            var seeded = workload
            seeded.seed = seed
            let run = try Parallelism.$threadCount.withValue(self.threads) { try seeded.run() }
            (ours, samplingRate) = (ours + [run.accuracy], run.samplingRate)
            if let opacus, let peer = seeded.torch(python: opacus.python, script: opacus.script, threads: self.threads) {
                peers.append(peer)
            }
        }
        let mean = { (values: [Double]) in values.isEmpty ? nil : values.reduce(0, +) / Double(values.count) }
        return (mean(ours) ?? 0, mean(peers.map(\.accuracy)), peers.compactMap(\.epsilon).max(), samplingRate)
    }

    private func report(_ point: CurvePoint) {
        let name = point.name.padding(toLength: 18, withPad: " ", startingAt: 0)
        guard let epsilon = point.epsilon, let sigma = point.sigma else {
            print(name + String(format: " no DP           DeAI %.3f", point.deaiAccuracy))
            return
        }
        var line = name + String(format: " ε %-4g σ %6.3f  DeAI %.3f", epsilon, sigma, point.deaiAccuracy)
        if let accuracy = point.opacusAccuracy {
            line += String(format: "  Opacus %.3f", accuracy)
            if let spent = point.opacusEpsilon { line += String(format: " (its accountant: ε %.2f)", spent) }
        }
        print(line)
    }
}
