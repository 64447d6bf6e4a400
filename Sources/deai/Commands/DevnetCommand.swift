// `deai devnet`: a whole network on one machine, training a real model.

import APITypes
import ArgumentParser
import Devnet
import Federation
import Foundation
import Learning
import Logging
import Node
import UnixSignals

/// `deai devnet [--participants N] [--malicious M] [--attack A] [--rounds R] [--dataset D | --data FILE [--target COL]]
/// [--non-iid] [--equal-shares] [--regression-confidence H] [--rule R] [--seed S] [--json] [--keep-running]`.
///
/// Starts a validator node, a sponsor, data owners (some malicious) and evaluators, each with its own key and
/// blob store, talking only through transactions and the blob exchange of the validator's HTTP API; prints each
/// round, then a table per participant, accuracy beside centralized training, and the model's lineage.
struct DevnetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devnet",
        abstract: "Run a whole DeAI network on this machine: federated training with rewards and slashing."
    )

    @Option(help: "Validators; more than 1 runs each as its own `deai start` process, participants spread over them")
    var validators = 1
    @Option(help: "Data owners, honest and malicious together") var participants = 10
    @Option(help: "How many data owners misbehave") var malicious = 3
    @Option(
        help: """
            The malicious owners' attack, with optional strengths written name:param=value[,param=value]: \
            \(AttackSpec.usage.joined(separator: ", ")); or mixed
            """)
    var attack = "mixed"
    @Option(help: "Evaluators, each with its own held-out data") var evaluators = 3
    @Option(help: "Training rounds") var rounds = 5
    @Option(help: "Data set: \(DevnetDataset.allCases.map(\.rawValue).joined(separator: ", "))") var dataset = "breast_cancer"
    @Option(help: "Your own CSV table (text, booleans and missing cells allowed) to share out instead of --dataset")
    var data: String?
    @Option(help: "The class column of --data (default: its last column)") var target: String?
    @Flag(help: "Split the data by label (non-IID) instead of at random") var nonIID = false
    @Flag(help: "Give IID owners shards of equal size instead of sizes growing 1 : 2 : … : N") var equalShares = false
    @Option(help: "Aggregation rule: \(AggregationRule.allCases.map(\.rawValue).joined(separator: ", "))") var rule = "fedavg"
    @Option(help: "Seed of the data split, the model, training and attacks") var seed: UInt64 = 1
    @Option(help: "Local optimizer steps (mini-batches) per round, whatever an owner's data size (default: the data set's)")
    var localSteps: Int?
    @Option(help: "Local learning rate of the owners' SGD (default: the data set's)") var learningRate: Float?
    @Option(help: "Local SGD momentum of the owners, in [0, 1) (default: the data set's)") var localMomentum: Float?
    @Option(help: "Server momentum of the task's FedAvgM, in [0, 1) (default: 0.5 on non-IID data, else 0)")
    var serverMomentum: Double?
    @Option(help: "Server learning rate of the task's aggregate step, in (0, 10] (default: 1)")
    var serverLearningRate: Double?
    @Option(help: "Standard errors, in hundredths, by which a round's measured loss must be worse than its parent's to keep the parent (default: 0)")
    var regressionConfidence: UInt16 = 0
    @Option(help: "Directory for the nodes' databases, keys and blobs (default: a new temporary directory)")
    var directory: String?
    @Option(help: "Blocks each phase of a round may last before it closes with whoever took part (validator processes)")
    var phaseBlocks: UInt32 = 2_000
    @Option(help: "Kill the last validator process (SIGKILL) as this round opens; its participants are stranded")
    var crashValidatorAtRound: Int?
    @Option(help: ArgumentHelp(
        "Owners train with DP-SGD within a privacy budget: epsilon=E,delta=D[,q=Q][,clip=C]",
        discussion: """
            Each owner samples a fraction q of its data per step (default 0.25) and clips each example's gradient             to C (default 1); the noise multiplier is the smallest that keeps every owner within (E, D) over all             the rounds, by the RDP accountant. The report gives the ε each owner spent.
            """))
    var dp: String?
    @Flag(help: "Owners seal their updates to the evaluators (HPKE): nobody else can read them (implied by --dp)")
    var sealedUpdates = false
    @Flag(help: "Print the final report as JSON") var json = false
    @Flag(help: "Keep the network and its API running after the last round, until Ctrl-C") var keepRunning = false

    func run() async throws {
        var options = DevnetOptions()
        guard let dataset = DevnetDataset(rawValue: self.dataset) else {
            throw ValidationError("--dataset must be one of \(DevnetDataset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let rule = AggregationRule(rawValue: self.rule) else {
            throw ValidationError("--rule must be one of \(AggregationRule.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if self.attack != "mixed" { options.attackSpec = try self.attackSpec() }
        options.dataset = dataset
        if let data = self.data {
            options.table = DevnetTable(path: (data as NSString).expandingTildeInPath, target: self.target)
        } else if self.target != nil {
            throw ValidationError("--target names a column of --data; give --data too")
        }
        options.rule = rule
        options.participants = self.participants
        options.malicious = self.malicious
        options.evaluators = self.evaluators
        options.rounds = self.rounds
        options.nonIID = self.nonIID
        options.equalShares = self.equalShares
        guard self.regressionConfidence <= 1_000 else {
            throw ValidationError("--regression-confidence must be at most 1000 (10 standard errors)")
        }
        options.regressionConfidenceHundredths = self.regressionConfidence
        options.seed = self.seed
        options.phaseBlocks = self.phaseBlocks
        options.crashValidatorAtRound = self.crashValidatorAtRound
        if self.crashValidatorAtRound != nil, self.validators < 4 {
            throw ValidationError("--crash-validator-at-round needs --validators 4 or more: the rest must hold two thirds")
        }
        if let steps = self.localSteps, steps < 1 { throw ValidationError("--local-steps must be at least 1") }
        if let rate = self.learningRate, !(rate > 0 && rate.isFinite) {
            throw ValidationError("--learning-rate must be a positive number")
        }
        if self.serverMomentum != nil || self.serverLearningRate != nil {
            var server = options.serverOptimizer()
            if let momentum = self.serverMomentum { server.momentum = momentum }
            if let rate = self.serverLearningRate { server.learningRate = rate }
            do { try server.validate() } catch { throw ValidationError("\(error)") }
            options.server = server
        }
        if let momentum = self.localMomentum, !(0..<1).contains(momentum) {
            throw ValidationError("--local-momentum must be in [0, 1)")
        }
        if self.localSteps != nil || self.learningRate != nil || self.localMomentum != nil {
            var training = options.ownerTraining()
            if let steps = self.localSteps { training.steps = steps }
            if let rate = self.learningRate { training.optimizer.learningRate = rate }
            if let momentum = self.localMomentum { training.optimizer.momentum = momentum }
            options.localTraining = training
        }
        options.sealedUpdates = self.sealedUpdates
        if let dp = self.dp {
            options.privacy = try PrivacyTarget(parsing: dp).terms(for: options.ownerTraining(), rounds: self.rounds)
            options.sealedUpdates = true
        }
        do {
            try options.validate()
        } catch {
            throw ValidationError(error.description)
        }

        var logger = Logger(label: "deai.devnet")
        logger.logLevel = .warning
        let directory = try self.directory ?? Self.temporaryDirectory()
        let quiet = self.json
        let chosen = options
        let devnet = Devnet(options: options, directory: directory, logger: logger)
        let keepRunning: (@Sendable (String) async -> Void)? =
            self.keepRunning ? { @Sendable url in await Self.waitForInterrupt(url: url, directory: directory) } : nil
        guard (1...TestnetInitializer.maxValidators).contains(self.validators) else {
            throw ValidationError("--validators must be 1 to \(TestnetInitializer.maxValidators)")
        }
        let launcher = self.validators > 1 ? Self.launcher(validators: self.validators, directory: directory + "/validators") : nil
        let report = try await devnet.run(validators: launcher, keepRunning: keepRunning) { event in
            guard !quiet else { return }
            for line in DevnetPrinter.lines(for: event, options: chosen) { Output.printFlushed(line) }
        }
        if self.json {
            try Output.printJSON(report, snakeCase: true)
        } else {
            for line in DevnetPrinter.summary(report) { Output.printFlushed(line) }
        }
    }

    /// Starts `count` validator processes (`deai start`) of a testnet in `directory` whose genesis funds the
    /// devnet's participants.
    private static func launcher(validators count: Int, directory: String) -> DevnetValidators.Launcher {
        { chainID, accounts in
            let options = TestnetInitializer.Options(validators: count, chainID: chainID, extraAccounts: accounts)
            let testnet = try TestnetInitializer(options: options).initialize(
                directory: directory, now: UInt64(Date().timeIntervalSince1970 * 1_000))
            let processes = try testnet.nodes.map { member in
                var configuration = try NodeConfiguration(contentsOf: member.home.configurationFile)
                configuration.api.maxBodyBytes = 64 << 20
                try SecureFile.write(configuration.jsonBytes, to: member.home.configurationFile)
                return try NodeProcess(home: member.home)
            }
            let stopAll: @Sendable () async throws -> Void = { for process in processes { process.stop() } }
            do {
                for process in processes { try await process.start() }
            } catch {
                try await stopAll()
                throw error
            }
            return DevnetValidators(
                validators: zip(testnet.nodes, processes).map { .init(name: $0.moniker, apiURL: $1.apiURL) }, stop: stopAll,
                crash: { processes[$0].kill() })
        }
    }

    /// `--attack` read as an attack with strengths.
    /// - Throws: a `ValidationError` listing the attacks for an unknown name, or naming the bad strength.
    private func attackSpec() throws(ValidationError) -> AttackSpec {
        do {
            return try AttackSpec(parsing: self.attack)
        } catch {
            guard case .invalidParameter(let name, let reason) = error, name != "attack" else {
                let known = AttackSpec.usage.joined(separator: ", ")
                throw ValidationError("--attack must be mixed or one of \(known); got '\(self.attack)'")
            }
            throw ValidationError("--attack \(name): \(reason)")
        }
    }

    /// Tells where the network answers and how to serve and buy its model's predictions, then waits for Ctrl-C
    /// (or SIGTERM).
    @Sendable
    private static func waitForInterrupt(url: String, directory: String) async {
        let home = ServingKit.home(in: directory)
        Output.printFlushed("""

            The network keeps running: \(url)/v1/tasks/1 — press Ctrl-C to stop.
            Serve its latest model, paid per row (in another terminal):
              deai serve --home \(home) --from server --node \(url)
            Buy predictions for the test rows through a payment channel:
              deai infer --home \(home) --from client --node \(url) --data \(ServingKit.rows(in: directory)) --target label
            """)
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        for await _ in signals { break }
    }

    /// A new directory under the system's temporary directory for a devnet's nodes.
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("deai-devnet-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
