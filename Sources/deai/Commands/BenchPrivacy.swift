// `deai bench privacy`: a DP-SGD epoch beside our plain epoch and beside Opacus, in one run.

import ArgumentParser
import Federation
import Foundation
import Learning

/// `deai bench privacy`: seconds per epoch of DP-SGD (Poisson sampling, per-example clipping, Gaussian noise) on the
/// digits MLP and the MNIST-1D CNN, beside the same models trained without privacy, and beside Opacus 1.6 on the
/// same data, model, expected batch, σ, C and SGD (`scripts/opacus_train.py` with the peers' venv) when present;
/// with the test accuracies and the ε each side's accountant reports. With `--epsilons`, the accuracy reached at
/// each ε instead (``runCurve(opacus:)``).
struct BenchPrivacyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "privacy",
        abstract: "Benchmark DP-SGD against plain training and against Opacus on this machine."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Kernel threads for DeAI and the peer.") var threads: Int = 2
    @Option(help: "Training epochs per run.") var epochs: Int = 10
    @Option(help: "The noise multiplier σ.") var sigma: Double = 1
    @Option(help: "The clipping norm C.") var clip: Double = 1
    @Option(help: "The δ at which ε is reported.") var delta: Double = 1e-5
    @Option(help: "The peers directory (its venv runs Opacus).") var peers: String = "../shared/peers"
    @Option(help: "The data sets directory.") var datasets: String = "../shared/datasets"
    @Option(help: "Runs of each measurement per side, alternating; the best figure of each side counts.")
    var runs: Int = 3
    @Flag(help: "Skip the Opacus runs.") var noPeers = false
    @Option(parsing: .upToNextOption,
            help: ArgumentHelp("Instead of timing, the accuracy reached at each of these ε (e.g. --epsilons 1 2 4 8), "
                               + "with the σ that spends it, on breast cancer and digits, beside Opacus."))
    var epsilons: [Double] = []
    @Option(help: "Seeds averaged at each point of the --epsilons curve.") var seeds: Int = 3

    func validate() throws {
        guard self.threads >= 1, self.epochs >= 2, self.runs >= 1 else {
            throw ValidationError("--threads and --runs must be positive, --epochs at least 2")
        }
        guard self.sigma > 0, self.clip > 0 else { throw ValidationError("--sigma and --clip must be positive") }
        guard self.seeds >= 1 else { throw ValidationError("--seeds must be positive") }
        guard self.epsilons.allSatisfy({ $0.isFinite && $0 > 0 }) else { throw ValidationError("each ε must be positive") }
    }

    /// One workload's figures.
    struct Row: Encodable {
        var name: String
        var plainEpochSeconds: Double
        var plainAccuracy: Double
        var privateEpochSeconds: Double
        var privateAccuracy: Double
        var epsilon: Double
        var opacusEpochSeconds: Double?
        var opacusAccuracy: Double?
        /// Our DP epoch over our plain epoch (the goal: at most 2).
        var privateOverPlain: Double
        /// How many times faster our DP epoch is than Opacus's.
        var speedOverOpacus: Double?

        init(name: String, plain: LearningWorkload.Run, dp: LearningWorkload.Run, epsilon: Double,
             opacus: LearningWorkload.PeerRun?) {
            (self.name, self.epsilon) = (name, epsilon)
            (self.plainEpochSeconds, self.plainAccuracy) = (plain.epochSeconds, plain.accuracy)
            (self.privateEpochSeconds, self.privateAccuracy) = (dp.epochSeconds, dp.accuracy)
            (self.opacusEpochSeconds, self.opacusAccuracy) = (opacus?.epochSeconds, opacus?.accuracy)
            self.privateOverPlain = dp.epochSeconds / plain.epochSeconds
            self.speedOverOpacus = opacus.map { $0.epochSeconds / dp.epochSeconds }
        }
    }

    func run() async throws {
        let opacus = self.opacus()
        if !self.epsilons.isEmpty {
            try self.runCurve(opacus: opacus)
            return
        }
        var rows: [Row] = []
        for plain in self.workloads() {
            var private_ = plain
            private_.privacy = (self.sigma, self.clip)
            var best: (plain: LearningWorkload.Run?, dp: LearningWorkload.Run?,
                       opacus: LearningWorkload.PeerRun?) = (nil, nil, nil)
            for _ in 0..<self.runs {
                let (ours, dp) = try Parallelism.$threadCount.withValue(self.threads) { (try plain.run(), try private_.run()) }
                if best.plain.map({ ours.epochSeconds < $0.epochSeconds }) ?? true { best.plain = ours }
                if best.dp.map({ dp.epochSeconds < $0.epochSeconds }) ?? true { best.dp = dp }
                if let opacus, let peer = private_.torch(python: opacus.python, script: opacus.script, threads: self.threads),
                    best.opacus.map({ peer.epochSeconds < $0.epochSeconds }) ?? true
                {
                    best.opacus = peer
                }
            }
            guard let ours = best.plain, let dp = best.dp else { continue }
            let steps = Int((1 / dp.samplingRate).rounded(.up)) * self.epochs
            let epsilon = try RDPAccountant.epsilon(
                samplingRate: dp.samplingRate, noiseMultiplier: self.sigma, steps: steps, delta: self.delta)
            let row = Row(name: plain.name, plain: ours, dp: dp, epsilon: epsilon, opacus: best.opacus)
            rows.append(row)
            if !self.global.json { self.report(row) }
        }
        if self.global.json { try Output.printJSON(rows) }
    }

    /// The peers' python and the Opacus script, or nil (with a word, unless JSON) when either is missing.
    func opacus() -> (python: String, script: String)? {
        guard !self.noPeers else { return nil }
        let script = "scripts/opacus_train.py"
        guard let python = LearningPeers.python(peers: self.peers), FileManager.default.fileExists(atPath: script) else {
            if !self.global.json {
                print("Opacus not found (\(self.peers)'s venv, see ../shared/peers/setup.sh, and \(script) from the "
                      + "repository's root): DeAI figures only")
            }
            return nil
        }
        return (python, script)
    }

    /// The digits MLP and the MNIST-1D CNN, both with SGD 0.1, momentum 0.9 (Opacus's usual optimizer).
    private func workloads() -> [LearningWorkload] {
        let sgd = OptimizerSpec(kind: .sgd, learningRate: 0.1, momentum: 0.9)
        return [
            LearningWorkload(name: "mlp digits", train: "\(self.datasets)/digits.csv", test: nil, model: "mlp",
                             batch: 64, optimizer: sgd, epochs: self.epochs),
            LearningWorkload(name: "cnn1d mnist1d", train: "\(self.datasets)/mnist1d_train.csv",
                             test: "\(self.datasets)/mnist1d_test.csv", model: "cnn1d", batch: 100, optimizer: sgd,
                             epochs: self.epochs),
        ]
    }

    private func report(_ row: Row) {
        var line = row.name.padding(toLength: 14, withPad: " ", startingAt: 0) + String(
            format: " plain %.4f s (acc %.3f) | DP %.4f s (acc %.3f, ε %.2f) = %.2f× plain", row.plainEpochSeconds,
            row.plainAccuracy, row.privateEpochSeconds, row.privateAccuracy, row.epsilon, row.privateOverPlain)
        if let opacus = row.opacusEpochSeconds, let accuracy = row.opacusAccuracy, let speed = row.speedOverOpacus {
            line += String(format: " | Opacus DP %.4f s (acc %.3f) | DeAI %.2f× faster", opacus, accuracy, speed)
        }
        print(line)
    }
}
