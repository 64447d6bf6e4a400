// `deai bench rounds`: seconds per federated round on the chain, beside Flower on the same split and local work.

import ArgumentParser
import Devnet
import Federation
import Foundation
import Learning
import Logging

/// `deai bench rounds`: the wall-clock seconds of a federated round with N data owners on a devnet (a validator
/// on loopback, every owner and evaluator its own identity talking to it over HTTP), beside Flower 1.42's
/// simulation engine running `flower_rounds.py` on the same workload: digits, equal IID shares, softmax
/// regression, 5 local epochs of full-batch gradient descent (learning rate 0.5) per round, FedAvg, every owner
/// in every round. The figure is the median round after the first, as the Flower script reports it.
///
/// A DeAI round does more than a Flower round: every update is a signed transaction in a committed block and a
/// content-addressed blob, and evaluators score each update (Shapley values) before the aggregate is attested.
/// The table splits the round into the owners' local training and the evaluators' compute (each summed over the
/// participants, who work in parallel) so that the protocol's own overhead shows.
struct BenchRoundsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rounds",
        abstract: "Measure seconds per federated round against Flower's simulation engine."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Numbers of data owners, one measurement each.") var clients: [Int] = [10, 100, 1000]
    @Option(help: "Rounds per run; the median of the rounds after the first counts.") var rounds: Int = 6
    @Option(help: "Evaluators scoring every update.") var evaluators: Int = 1
    @Option(help: "The peers directory (flower_rounds.py).") var peers: String = "../shared/peers"
    @Flag(help: "Skip the Flower runs.") var noPeers = false

    func validate() throws {
        guard self.rounds >= 2 else { throw ValidationError("--rounds must be at least 2: the first round is warm-up") }
        guard self.clients.allSatisfy({ (1...1000).contains($0) }) else {
            throw ValidationError("--clients must each be 1–1000")
        }
        guard (1...16).contains(self.evaluators) else { throw ValidationError("--evaluators must be 1–16") }
    }

    func run() async throws {
        let python = self.noPeers ? nil : FlowerRounds.python(peers: self.peers)
        if python == nil && !self.noPeers && !self.global.json {
            print("Flower not found (\(self.peers)/flower_rounds.py and its venv, see ../shared/peers/setup.sh): DeAI figures only")
        }
        // The runs' directories go when the benchmark ends: deleting thousands of files makes the file system
        // slower to create the next run's.
        var directories: [String] = []
        defer { for directory in directories { try? FileManager.default.removeItem(atPath: directory) } }
        var rows: [RoundBenchRow] = []
        for clients in self.clients {
            let directory = try DevnetCommand.temporaryDirectory()
            directories.append(directory)
            self.say("DeAI: \(clients) data owners, \(self.evaluators) evaluator(s), \(self.rounds) rounds…")
            var row = try await self.measureDeAI(clients: clients, directory: directory)
            if let python {
                self.say("Flower 1.42: \(clients) clients, \(self.rounds) rounds…")
                row.flower = FlowerRounds.run(
                    python: python, script: "\(self.peers)/flower_rounds.py", clients: clients, rounds: self.rounds)
            }
            rows.append(row)
            self.say(row.line)
        }
        if self.global.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
        } else {
            print("")
            print(RoundBenchRow.header)
            for row in rows { print(row.line) }
        }
    }

    private func say(_ line: String) {
        if !self.global.json { Output.printFlushed(line) }
    }

    /// One devnet run with the Flower script's workload.
    private func measureDeAI(clients: Int, directory: String) async throws -> RoundBenchRow {
        var options = DevnetOptions()
        options.dataset = .digits
        options.participants = clients
        options.malicious = 0
        options.evaluators = self.evaluators
        options.rounds = self.rounds
        options.rule = .fedavg
        options.equalShares = true
        options.model = "logreg"
        options.localTraining = LocalTrainingConfiguration(
            epochs: 5, batchSize: 1 << 20, optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.5, momentum: 0))
        var logger = Logger(label: "deai.bench")
        logger.logLevel = .warning
        let report = try await Devnet(options: options, directory: directory, logger: logger).run()
        let measured = Array(report.rounds.dropFirst())
        return RoundBenchRow(
            clients: clients, evaluators: self.evaluators, secondsPerRound: median(measured.map(\.seconds)),
            firstRoundSeconds: report.rounds.first?.seconds ?? 0,
            trainingSeconds: median(measured.map(\.trainingSeconds)),
            evaluationSeconds: median(measured.map(\.evaluationSeconds)), accuracy: report.finalAccuracy)
    }
}

/// One line of `deai bench rounds`: DeAI's round beside Flower's for the same number of clients.
struct RoundBenchRow: Encodable {
    var clients: Int
    var evaluators: Int
    /// Median seconds per round after the first.
    var secondsPerRound: Double
    var firstRoundSeconds: Double
    /// Median over rounds of the owners' local training seconds, summed over the owners.
    var trainingSeconds: Double
    /// Median over rounds of the evaluators' scoring and aggregation seconds, summed over the evaluators.
    var evaluationSeconds: Double
    /// Test accuracy of the final model.
    var accuracy: Double
    var flower: FlowerRounds.Result?

    /// How many times fewer seconds per round DeAI takes than Flower.
    var ratio: Double? {
        guard let flower, self.secondsPerRound > 0 else { return nil }
        return flower.secondsPerRound / self.secondsPerRound
    }

    static let header = "clients  DeAI s/round  (training Σ  evaluation Σ)  accuracy   Flower s/round  accuracy   Flower ÷ DeAI"

    var line: String {
        let flower = self.flower.map { String(format: "%14.3f  %7.1f%%", $0.secondsPerRound, $0.accuracy * 100) }
            ?? "             —         —"
        let ratio = self.ratio.map { String(format: "%12.1f×", $0) } ?? "—"
        return String(format: "%7d  %12.3f  (%10.3f  %12.3f)  %7.1f%%  ", self.clients, self.secondsPerRound,
                      self.trainingSeconds, self.evaluationSeconds, self.accuracy * 100) + flower + "   " + ratio
    }

    enum CodingKeys: String, CodingKey {
        case clients, evaluators, secondsPerRound, firstRoundSeconds, trainingSeconds, evaluationSeconds, accuracy
        case flower, flowerOverDeAI
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.clients, forKey: .clients)
        try container.encode(self.evaluators, forKey: .evaluators)
        try container.encode(self.secondsPerRound, forKey: .secondsPerRound)
        try container.encode(self.firstRoundSeconds, forKey: .firstRoundSeconds)
        try container.encode(self.trainingSeconds, forKey: .trainingSeconds)
        try container.encode(self.evaluationSeconds, forKey: .evaluationSeconds)
        try container.encode(self.accuracy, forKey: .accuracy)
        try container.encodeIfPresent(self.flower, forKey: .flower)
        try container.encodeIfPresent(self.ratio, forKey: .flowerOverDeAI)
    }
}

/// Runs `flower_rounds.py` from the peers directory with the venv of `../shared/peers/setup.sh`.
enum FlowerRounds {
    /// What the Flower script reported.
    struct Result: Encodable {
        var secondsPerRound: Double
        var firstRoundSeconds: Double
        var accuracy: Double
    }

    /// The venv's python, when it and the script exist.
    static func python(peers: String) -> String? {
        guard let python = LearningPeers.python(peers: peers),
            FileManager.default.fileExists(atPath: "\(peers)/flower_rounds.py")
        else { return nil }
        return python
    }

    /// FedAvg over `clients` clients for `rounds` rounds; `nil` when the script fails.
    static func run(python: String, script: String, clients: Int, rounds: Int) -> Result? {
        let arguments = [script, "--clients", "\(clients)", "--rounds", "\(rounds)", "--strategy", "fedavg"]
        guard let line = LearningPeers.run(python, arguments, environment: [:]).last,
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let seconds = object["s_per_round_after_first"] as? Double,
            let first = object["first_round_s"] as? Double, let accuracy = object["final_acc"] as? Double
        else { return nil }
        return Result(secondsPerRound: seconds, firstRoundSeconds: first, accuracy: accuracy)
    }
}
