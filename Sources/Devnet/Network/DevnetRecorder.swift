// Watches a devnet's task round by round and writes the report, from chain data and public blobs only.

import DeAICore
import Federation
import Foundation
import Ledger
import Learning
import Participants

/// Follows the task through the sponsor's view of the network: after each round, the test accuracy of the current
/// model (on test data no participant holds) beside centralized training; at the end, the per-participant table,
/// the lineage, and the independent Shapley oracle the rewards are compared with.
actor DevnetRecorder {
    let options: DevnetOptions
    let spec: ModelSpec
    let data: DevnetData
    let partition: DataPartition
    let baseline: [Double]
    let taskID: UInt64
    let url: String
    let training: LocalTrainingConfiguration
    let evaluation: EvaluationSettings
    let meter: DevnetWorkMeter
    /// What a member forfeits for a commitment it does not reveal (the devnet task's setting).
    let revealDeposit: Amount
    private var summaries: [DevnetRoundSummary] = []
    private var accuracies: [SHA256Digest: Double] = [:]

    init(
        options: DevnetOptions, spec: ModelSpec, settings: (LocalTrainingConfiguration, EvaluationSettings), data: DevnetData,
        partition: DataPartition, baseline: [Double], taskID: UInt64, url: String, meter: DevnetWorkMeter,
        revealDeposit: Amount
    ) {
        self.meter = meter
        self.revealDeposit = revealDeposit
        (self.training, self.evaluation) = settings
        self.options = options
        self.spec = spec
        self.data = data
        self.partition = partition
        self.baseline = baseline
        self.taskID = taskID
        self.url = url
    }

    /// Reports every round as it ends, until the task completes.
    func follow(on network: some TrainingNetwork, progress: @Sendable (DevnetEvent) -> Void) async throws {
        var task = try await network.task(self.taskID, after: nil)
        var reported: UInt32 = 0
        var roundStarted = ContinuousClock.now
        while true {
            let finished = task.status == .completed ? task.round : task.round &- 1
            while reported < finished, task.status != .enrolling {
                reported += 1
                let round = try await network.round(taskID: self.taskID, number: reported)
                let summary = try await self.summary(of: round, network: network, seconds: (ContinuousClock.now - roundStarted).seconds)
                roundStarted = ContinuousClock.now
                self.summaries.append(summary)
                progress(.roundEnded(summary))
            }
            if task.status == .completed { return }
            task = try await network.task(self.taskID, after: TaskPosition(task))
        }
    }

    private func summary(of round: TrainingRound, network: some TrainingNetwork, seconds: Double) async throws -> DevnetRoundSummary {
        let model = round.resultModel ?? round.baseModel
        let accuracy = try await self.accuracy(of: model, network: network)
        let index = Int(round.number) - 1
        return DevnetRoundSummary(
            round: Int(round.number), result: round.result.rawValue, testAccuracy: accuracy,
            centralizedAccuracy: index < self.baseline.count ? self.baseline[index] : self.baseline.last ?? 0,
            improvement: round.improvement, improvementError: round.improvementError, submitted: round.updates.count, accepted: round.verdicts.filter(\.accepted).count,
            harmful: round.verdicts.filter(\.harmful).count,
            rewarded: round.verdicts.reduce(0) { $0 + $1.reward } + round.evaluatorPayouts.reduce(0) { $0 + $1.reward },
            slashed: round.verdicts.reduce(0) { $0 + $1.slashed } + Amount(round.forfeited.count) * self.revealDeposit,
            seconds: seconds,
            trainingSeconds: await self.meter.total(.localTraining, round: round.number),
            evaluationSeconds: await self.meter.total(.scoring, round: round.number)
                + self.meter.total(.aggregation, round: round.number))
    }

    private func accuracy(of model: SHA256Digest, network: some TrainingNetwork) async throws -> Double {
        if let known = self.accuracies[model] { return known }
        let weights = try await ModelBlobs.vector(model, from: network)
        let accuracy = try testAccuracy(of: weights, spec: self.spec, data: self.data)
        self.accuracies[model] = accuracy
        return accuracy
    }

    /// The backdoor's success rate on the test set for the initial and the final model, when the malicious owners
    /// plant one.
    private func backdoor(of task: TrainingTask, network: some TrainingNetwork) async throws -> DevnetBackdoorSummary? {
        guard self.options.malicious > 0, self.options.attack == .backdoor else { return nil }
        let trigger = self.options.attackStrengths.backdoor
        var rates: [Double] = []
        for hash in [task.spec.initialModel, task.model] {
            var model = try Model(spec: self.spec, seed: 0)
            try model.setFlatParameters(try await ModelBlobs.vector(hash, from: network))
            rates.append(try trigger.successRate(of: model, on: self.data.test) ?? 0)
        }
        return DevnetBackdoorSummary(target: trigger.target, successRate: rates[1], initialSuccessRate: rates[0])
    }

    // MARK: - The report

    /// The run's report, read on `network`; updates are read on `reader`, which opens them in a task that seals
    /// them.
    func report(
        on network: some TrainingNetwork, updatesReadBy reader: some TrainingNetwork, owners: [Address],
        evaluators: [Address], seconds: Double
    ) async throws -> DevnetReport {
        let task = try await network.task(self.taskID, after: nil)
        var rounds: [TrainingRound] = []
        for number in 1...max(1, task.round) {
            rounds.append(try await network.round(taskID: self.taskID, number: number))
        }
        let shapley = try await self.shapleyOracle(rounds: rounds, owners: owners, network: reader)
        var participants: [DevnetParticipantSummary] = []
        for (index, address) in owners.enumerated() {
            let verdicts = rounds.flatMap { round in
                zip(round.updates, round.verdicts).filter { $0.0.contributor == address }.map(\.1)
            }
            participants.append(
                DevnetParticipantSummary(
                    name: DevnetOptions.ownerName(index), address: address.description, role: "data owner",
                    samples: self.partition.owners[index].count,
                    behaviour: self.options.attack(ofOwner: index)?.rawValue ?? "honest",
                    meanScore: verdicts.isEmpty ? nil : verdicts.reduce(0.0) { $0 + Double($1.consensusScore) / 1e6 } / Double(verdicts.count),
                    acceptedRounds: verdicts.filter(\.accepted).count, earned: verdicts.reduce(0) { $0 + $1.reward },
                    slashed: verdicts.reduce(0) { $0 + $1.slashed }
                        + Amount(rounds.filter { $0.forfeited.contains(address) }.count) * self.revealDeposit,
                    shapley: self.options.attack(ofOwner: index) == nil ? shapley[index] : nil,
                    epsilon: self.epsilonSpent(by: address, in: rounds),
                    data: DevnetDataQuality(data: self.data, indices: self.partition.ownerIndices[index])))
        }
        for (index, address) in evaluators.enumerated() {
            let payouts = rounds.flatMap { $0.evaluatorPayouts.filter { $0.evaluator == address } }
            participants.append(
                DevnetParticipantSummary(
                    name: DevnetOptions.evaluatorName(index), address: address.description, role: "evaluator",
                    samples: self.partition.evaluators[index].count, behaviour: "honest", meanScore: nil,
                    acceptedRounds: 0, earned: payouts.reduce(0) { $0 + $1.reward }, slashed: 0, shapley: nil,
                    data: DevnetDataQuality(data: self.data, indices: self.partition.evaluatorIndices[index])))
        }
        var lineage: [DevnetVersionSummary] = []
        for round in rounds where round.result == .newVersion {
            guard let model = round.resultModel else { continue }
            lineage.append(
                DevnetVersionSummary(
                    version: lineage.count + 1, round: Int(round.number), model: model.hexString, parent: round.baseModel.hexString,
                    contributors: round.verdicts.filter(\.accepted).count,
                    testAccuracy: try await self.accuracy(of: model, network: network)))
        }
        let ownerRows = participants.prefix(owners.count)
        let totalEarned = ownerRows.reduce(0.0) { $0 + Double($1.earned) }
        let maliciousEarned = ownerRows.filter { $0.behaviour != "honest" }.reduce(0.0) { $0 + Double($1.earned) }
        let honest = ownerRows.filter { $0.behaviour == "honest" && $0.shapley != nil }
        return DevnetReport(
            options: self.options, apiURL: self.url, taskID: self.taskID, classNames: self.data.classNames, rounds: self.summaries, participants: participants,
            lineage: lineage, finalAccuracy: try await self.accuracy(of: task.model, network: network),
            centralizedAccuracy: self.baseline.last ?? 0, finalModel: task.model.hexString,
            maliciousRewardShare: totalEarned > 0 ? maliciousEarned / totalEarned : 0,
            rewardShapleyCorrelation: honest.count >= 3
                ? spearmanCorrelation(honest.map { Double($0.earned) }, honest.map { $0.shapley ?? 0 }) : nil,
            backdoor: try await self.backdoor(of: task, network: network), seconds: seconds)
    }

    /// Each honest owner's Shapley value in the independent ``ShapleyOracle`` game, summed over the rounds: per
    /// round, the value of its update among the honest owners' updates, measured on the test split. Owners that
    /// attack are left out of the game: the oracle values data offered honestly.
    /// The ε an owner has spent as the chain accounts it (its last revealed update's), 0 before its first; `nil`
    /// in a devnet without DP.
    private func epsilonSpent(by owner: Address, in rounds: [TrainingRound]) -> Double? {
        guard self.options.privacy != nil else { return nil }
        let spent = rounds.reversed().lazy.compactMap { $0.updates.first { $0.contributor == owner }?.epsilonMillionths }
        return Double(spent.first ?? 0) / 1e6
    }

    private func shapleyOracle(rounds: [TrainingRound], owners: [Address], network: some TrainingNetwork) async throws -> [Double] {
        let oracle = ShapleyOracle(spec: self.spec, heldOut: self.data.test)
        // Each honest owner's index (a lookup table, never iterated).
        let honestOwners = Dictionary(
            uniqueKeysWithValues: owners.indices.filter { self.options.attack(ofOwner: $0) == nil }.map { (owners[$0], $0) })
        var totals = [Double](repeating: 0, count: owners.count)
        for round in rounds {
            let honest = round.updates.compactMap { update in honestOwners[update.contributor].map { (update, $0) } }
            guard !honest.isEmpty else { continue }
            var deltas: [[Float]] = []
            for (update, _) in honest {
                deltas.append(
                    try await ModelBlobs.update(update, in: round, sealed: self.options.sealedUpdates, from: network))
            }
            let values = try oracle.values(base: try await ModelBlobs.vector(round.baseModel, from: network), updates: deltas)
            for ((_, index), value) in zip(honest, values) { totals[index] += value }
        }
        return totals
    }
}
