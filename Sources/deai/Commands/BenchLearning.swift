// `deai bench learning`: our GEMM and training speed beside numpy and PyTorch, in one run.

import ArgumentParser
import Dispatch
import Foundation
import Learning

/// `deai bench learning`: GEMM GFLOP/s at 256/1024/2048 and the per-epoch training time of the MLP on digits and
/// the CNN on MNIST-1D, each beside the same workload in numpy (OpenBLAS, `OPENBLAS_CORETYPE=SkylakeX`) and
/// PyTorch (`torch_train.py`) when `../shared/peers` and its venv are present, with the ratios.
struct BenchLearningCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learning",
        abstract: "Benchmark the Learning engine against numpy and PyTorch on this machine."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Kernel threads for DeAI and the peers.") var threads: Int = 2
    @Option(help: "Training epochs per model.") var epochs: Int = 30
    @Option(help: "GEMM sizes.") var sizes: [Int] = [256, 1024, 2048]
    @Option(help: "The peers directory (numpy_gemm.py, torch_train.py).") var peers: String = "../shared/peers"
    @Option(help: "The data sets directory.") var datasets: String = "../shared/datasets"
    @Option(help: "Runs of each measurement per side, alternating; the best figure of each side counts.")
    var runs: Int = 3
    @Flag(help: "Skip the numpy and PyTorch runs.") var noPeers = false

    func validate() throws {
        guard self.threads >= 1, self.epochs >= 1, self.runs >= 1, self.sizes.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--threads, --epochs, --runs and --sizes must be positive")
        }
    }

    func run() async throws {
        let python = self.noPeers ? nil : LearningPeers.python(peers: self.peers)
        if python == nil && !self.noPeers && !self.global.json {
            print("peers not found (\(self.peers) and its venv, see ../shared/peers/setup.sh): DeAI figures only")
        }
        var rows: [LearningBenchRow] = []
        for size in self.sizes {
            // Alternate the two sides and keep each side's best run: this machine is shared and its load moves.
            var ours = 0.0
            var numpy: Double?
            for _ in 0..<self.runs {
                ours = max(ours, Parallelism.$threadCount.withValue(self.threads) {
                    LearningGEMMBenchmark.gflops(size: size)
                })
                if let python, let peer = LearningPeers.numpyGEMM(python: python, script: "\(self.peers)/numpy_gemm.py",
                                                                   sizes: [size], threads: self.threads)[size] {
                    numpy = max(numpy ?? 0, peer)
                }
            }
            rows.append(LearningBenchRow(name: "gemm \(size)", unit: "GFLOP/s", deai: ours, peer: numpy,
                                         peerName: "numpy SkylakeX", higherIsBetter: true))
            self.report(rows[rows.count - 1])
        }
        for workload in LearningWorkload.all(datasets: self.datasets, epochs: self.epochs) {
            var ours: LearningWorkload.Run?
            var torch: LearningWorkload.PeerRun?
            for _ in 0..<self.runs {
                let run = try Parallelism.$threadCount.withValue(self.threads) { try workload.run() }
                if ours.map({ run.epochSeconds < $0.epochSeconds }) ?? true { ours = run }
                if let python, let peer = workload.torch(python: python, script: "\(self.peers)/torch_train.py",
                                                         threads: self.threads),
                    torch.map({ peer.epochSeconds < $0.epochSeconds }) ?? true
                {
                    torch = peer
                }
            }
            guard let ours else { continue }
            rows.append(LearningBenchRow(name: "\(workload.name) epoch", unit: "s", deai: ours.epochSeconds,
                                 peer: torch?.epochSeconds, peerName: "torch", higherIsBetter: false,
                                 deaiAccuracy: ours.accuracy, peerAccuracy: torch?.accuracy))
            self.report(rows[rows.count - 1])
        }
        if self.global.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(LearningBenchReport(threads: self.threads,
                                                                  kernels: KernelVariant.best.description, rows: rows)),
                         as: UTF8.self))
        }
    }

    private func report(_ row: LearningBenchRow) {
        guard !self.global.json else { return }
        var line = row.name.padding(toLength: 18, withPad: " ", startingAt: 0)
            + String(format: " DeAI %10.4g %@", row.deai, row.unit)
        if let accuracy = row.deaiAccuracy { line += String(format: " (acc %.3f)", accuracy) }
        if let peer = row.peer {
            line += String(format: " | %@ %10.4g %@", row.peerName, peer, row.unit)
            if let accuracy = row.peerAccuracy { line += String(format: " (acc %.3f)", accuracy) }
            if let ratio = row.ratio { line += String(format: " | DeAI/peer speed %.2fx", ratio) }
        }
        print(line)
    }
}

/// One line of the benchmark.
struct LearningBenchRow: Encodable {
    var name: String
    var unit: String
    var deai: Double
    var peer: Double?
    var peerName: String
    var higherIsBetter: Bool
    var deaiAccuracy: Double?
    var peerAccuracy: Double?

    /// How many times faster DeAI is than the peer (> 1: DeAI faster).
    var ratio: Double? {
        guard let peer, peer > 0, self.deai > 0 else { return nil }
        return self.higherIsBetter ? self.deai / peer : peer / self.deai
    }

    enum CodingKeys: String, CodingKey {
        case name, unit, deai, peer, peerName, deaiAccuracy, peerAccuracy, speedRatio
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.name, forKey: .name)
        try container.encode(self.unit, forKey: .unit)
        try container.encode(self.deai, forKey: .deai)
        try container.encodeIfPresent(self.peer, forKey: .peer)
        try container.encode(self.peerName, forKey: .peerName)
        try container.encodeIfPresent(self.deaiAccuracy, forKey: .deaiAccuracy)
        try container.encodeIfPresent(self.peerAccuracy, forKey: .peerAccuracy)
        try container.encodeIfPresent(self.ratio, forKey: .speedRatio)
    }
}

/// What `deai bench learning --json` prints.
struct LearningBenchReport: Encodable {
    var threads: Int
    var kernels: String
    var rows: [LearningBenchRow]
}

/// Our GEMM's speed, measured like numpy_gemm.py (best of several runs after a warm-up).
enum LearningGEMMBenchmark {
    static func gflops(size n: Int) -> Double {
        var generator = Xoshiro256(seed: 1)
        let a = (0..<(n * n)).map { _ in Float(generator.next() >> 40) * 0x1p-24 }
        let b = (0..<(n * n)).map { _ in Float(generator.next() >> 40) * 0x1p-24 }
        var c = [Float](repeating: 0, count: n * n)
        let flops = 2 * Double(n) * Double(n) * Double(n)
        let repetitions = max(3, Int(2e10 / flops))
        var best = Double.infinity
        for repetition in 0...repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    c.withUnsafeMutableBufferPointer { pc in
                        guard let x = pa.baseAddress, let y = pb.baseAddress, let z = pc.baseAddress else { return }
                        MatrixMultiply.multiply(m: n, n: n, k: n, a: x, b: y, c: z)
                    }
                }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if repetition > 0 { best = min(best, seconds) }
        }
        return flops / best / 1e9
    }
}

/// A training workload run by DeAI and by torch_train.py with the same architecture, batch, optimizer and epochs.
struct LearningWorkload {
    var name: String
    var train: String
    var test: String?
    var model: String
    var batch: Int
    var optimizer: OptimizerSpec
    var epochs: Int
    /// DP-SGD instead of plain mini-batches: Poisson sampling of expected size ``batch``, noise σ, clipping C.
    var privacy: (sigma: Double, clip: Double)?
    /// The seed of the model's initial weights and of the batches (the split always uses seed 0, as the peers do).
    var seed: UInt64 = 0

    /// What one run of a workload measured.
    struct Run {
        /// Mean seconds per epoch.
        var epochSeconds: Double
        /// Accuracy on the test set.
        var accuracy: Double
        /// The expected batch over the training examples: DP-SGD's sampling rate q.
        var samplingRate: Double
    }

    static func all(datasets: String, epochs: Int) -> [LearningWorkload] {
        [
            LearningWorkload(name: "mlp digits", train: "\(datasets)/digits.csv", test: nil, model: "mlp", batch: 64,
                             optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.1, momentum: 0.9), epochs: epochs),
            LearningWorkload(name: "cnn1d mnist1d", train: "\(datasets)/mnist1d_train.csv",
                             test: "\(datasets)/mnist1d_test.csv", model: "cnn1d", batch: 100,
                             optimizer: OptimizerSpec(kind: .adam, learningRate: 0.01), epochs: epochs),
        ]
    }

    /// Trains with DeAI.
    func run() throws -> Run {
        var trainSet = try CSVTable(contentsOf: self.train).dataset()
        var testSet: Dataset
        if let test = self.test {
            testSet = try CSVTable(contentsOf: test).dataset()
        } else {
            var generator = Xoshiro256(seed: 0)
            (trainSet, testSet) = try trainSet.stratifiedSplit(testFraction: 0.25, using: &generator)
        }
        let standardizer = Standardizer(fitting: trainSet)
        trainSet = try standardizer.apply(to: trainSet)
        testSet = try standardizer.apply(to: testSet)
        let spec = try ModelSpec.builtin(self.model, features: trainSet.sampleShape[0],
                                         classes: max(trainSet.classCount, testSet.classCount))
        var model = try Model(spec: spec, seed: self.seed)
        let samplingRate = Double(self.batch) / Double(trainSet.count)
        let privacy = self.privacy.map {
            DifferentialPrivacy(clippingNorm: $0.clip, noiseMultiplier: $0.sigma, samplingRate: samplingRate)
        }
        let reports = try model.train(on: trainSet, configuration: TrainingConfiguration(
            epochs: self.epochs, batchSize: self.batch, optimizer: self.optimizer, seed: self.seed, privacy: privacy))
        let seconds = reports.map(\.seconds).reduce(0, +) / Double(reports.count)
        return Run(epochSeconds: seconds, accuracy: try model.evaluate(on: testSet).accuracy, samplingRate: samplingRate)
    }

    /// What one run of a peer's script measured.
    struct PeerRun {
        /// Median seconds per epoch after the first.
        var epochSeconds: Double
        /// Accuracy on the test set.
        var accuracy: Double
        /// The ε that Opacus's accountant reports, for a private run.
        var epsilon: Double?
    }

    /// Runs torch_train.py with the same settings — or, with ``privacy``, `scripts/opacus_train.py` at `script`;
    /// nil when it fails.
    func torch(python: String, script: String, threads: Int) -> PeerRun? {
        var arguments = [script, "--train", self.train, "--model", self.model, "--epochs", "\(self.epochs)",
                         "--batch", "\(self.batch)", "--lr", "\(self.optimizer.learningRate)",
                         "--momentum", "\(self.optimizer.momentum)", "--threads", "\(threads)", "--seed", "\(self.seed)"]
        if let privacy = self.privacy {
            arguments += ["--sigma", "\(privacy.sigma)", "--clip", "\(privacy.clip)"]
        } else {
            arguments += ["--optimizer", self.optimizer.kind == .sgd ? "sgd" : "adam"]
        }
        if let test = self.test { arguments += ["--test", test] }
        guard let line = LearningPeers.run(python, arguments, environment: [:]).last,
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let seconds = object["epoch_s"] as? Double, let accuracy = object["test_acc"] as? Double
        else { return nil }
        return PeerRun(epochSeconds: seconds, accuracy: accuracy, epsilon: object["epsilon"] as? Double)
    }
}

/// Finds and runs the peers' python scripts.
enum LearningPeers {
    /// The venv python of `../shared/peers/setup.sh` when it and the peers directory exist.
    static func python(peers: String) -> String? {
        let venv = ProcessInfo.processInfo.environment["DEAI_PEERS_VENV"]
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache/deai-peers")
        let python = (venv as NSString).appendingPathComponent("bin/python")
        guard FileManager.default.isExecutableFile(atPath: python),
            FileManager.default.fileExists(atPath: "\(peers)/torch_train.py")
        else { return nil }
        return python
    }

    /// numpy's GFLOP/s by size, with OPENBLAS_CORETYPE=SkylakeX on `threads` threads.
    static func numpyGEMM(python: String, script: String, sizes: [Int], threads: Int) -> [Int: Double] {
        var result: [Int: Double] = [:]
        for line in self.run(python, [script] + sizes.map(String.init), environment: [:]) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["coretype"] as? String == "SkylakeX", object["threads"] as? Int == threads,
                let n = object["n"] as? Int, let gflops = object["gflops"] as? Double
            else { continue }
            result[n] = gflops
        }
        return result
    }

    /// Runs a command and returns its stdout lines (empty when it cannot run).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]) -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return []
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
