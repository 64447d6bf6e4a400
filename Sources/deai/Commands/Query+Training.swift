// `deai query task | tasks | round | model`: training tasks, their rounds and model versions.

import APITypes
import ArgumentParser
import DeAICore
import Foundation
import Ledger
import Node

/// `deai query tasks`.
struct QueryTasks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tasks", abstract: "List the training tasks.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var node: NodeOptions

    func run() async throws {
        let view = try await self.node.call { try await $0.tasks() }
        try Output.emit(view, json: self.global.json) { view in
            view.tasks.isEmpty
                ? ["no training tasks"]
                : view.tasks.map {
                    "\($0.id)  \($0.status.rawValue)  round \($0.round)  version \($0.version)  \($0.name)"
                }
        }
    }
}

/// `deai query task ID`.
struct QueryTask: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "Show a training task: where it stands, its terms and its members."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var node: NodeOptions
    @Argument(help: "Task ID") var id: UInt64

    func run() async throws {
        let task = try await self.node.call { try await $0.task(self.id) }
        try Output.emit(task, json: self.global.json, human: Self.describe)
    }

    /// The lines that show one task.
    static func describe(_ task: TaskView) -> [String] {
        let spec = task.spec
        var state = task.status.rawValue
        if task.status == .running {
            state += " (round \(task.round) of \(spec.rounds), \(task.phase.rawValue)"
                + " until height \(task.phaseEndHeight))"
        }
        let rows: [(String, String)] = [
            ("id", "\(task.id)"), ("name", task.name), ("sponsor", task.sponsor.description), ("status", state),
            ("model", "version \(task.version)  \(task.model)"),
            (
                "escrow",
                "\(task.escrow) of \(spec.rewardPool) (rewarded \(task.totalRewarded), slashed \(task.totalSlashed))"
            ),
            ("aggregation", spec.aggregationRule),
            ("per round", "\(spec.participantsPerRound) trainers, at least \(spec.minimumAccepted) accepted"),
            ("evaluators", "at least \(spec.minimumEvaluators) revealing scores"),
            (
                "phases",
                "commit updates \(spec.updateBlocks), commit scores \(spec.scoreBlocks), "
                    + "each reveal \(spec.revealBlocks), attest \(spec.attestBlocks) blocks at most"
            ),
            ("minimum stake", "\(spec.minimumStake) (reveal deposit \(spec.revealDeposit))"),
            (
                "pay rate",
                "\(spec.rewardPool) / \(spec.rounds) rounds per \(spec.fullRewardImprovement) micro-nats of "
                    + "improvement, at most the round's budget"
            ),
            ("regression", "at most \(spec.regressionTolerance) micro-nats worse than the parent"),
            ("evaluators' share", QueryRound.percent(spec.evaluatorShareBasisPoints)),
            (
                "slash",
                "\(QueryRound.percent(spec.slashBasisPoints)) of the stake when the evidence of harm (harm less "
                    + "\(QueryRound.hundredths(Int(spec.harmConfidenceHundredths))) standard errors) exceeds "
                    + "\(spec.harmTolerance) micro-nats"
            ),
            ("updates", spec.sealedUpdates ? "sealed to the evaluators' keys (HPKE)" : "public blobs"),
            ("posted at", "\(task.createdHeight)"),
        ]
        let members = task.members.map { member in
            "  \(member.address)  \(member.role.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))  "
                + "stake \(member.stake)  earned \(member.earned)  slashed \(member.slashed)"
                + (member.epsilonSpent.map { "  ε \($0)" } ?? "")
                + (member.dataCommitment.map { "  data \($0.hexString.prefix(16))…" } ?? "")
                + (member.active ? "" : "  (left)")
        }
        return Output.table(rows + (spec.privacy.map { Self.privacyRows($0, rounds: spec.rounds) } ?? []))
            + ["members (\(task.members.count))"] + members
    }

    /// The rows of a task's differential privacy: the mechanism, the budget, and whether its accounting holds.
    private static func privacyRows(_ terms: PrivacyTerms, rounds: UInt32) -> [(String, String)] {
        [
            (
                "privacy",
                "DP-SGD: clip \(terms.clippingNorm), noise σ = \(terms.noiseMultiplier), sampling q = \(terms.samplingRate), "
                    + "\(terms.stepsPerRound) steps a round"
            ),
            (
                "privacy budget",
                "ε = \(terms.epsilon), δ = \(terms.delta) per owner: \(terms.affordableRounds(limit: rounds)) of "
                    + "\(rounds) rounds"
            ),
            ("privacy ledger", terms.accountingProblem().map { "DOES NOT HOLD: \($0)" } ?? "checked against the accountant"),
        ]
    }
}

/// `deai query round TASK N`.
struct QueryRound: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "round",
        abstract: "Show a round of a training task: commitments, updates and verdicts, evaluators, forfeits and pay."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var node: NodeOptions
    @Argument(help: "Task ID") var task: UInt64
    @Argument(help: "Round number, from 1") var number: UInt32

    func run() async throws {
        let round = try await self.node.call { try await $0.round(task: self.task, number: self.number) }
        try Output.emit(round, json: self.global.json, human: Self.describe)
    }

    /// The lines that show one round.
    static func describe(_ round: RoundView) -> [String] {
        let forfeited = Set(round.forfeited)
        var lines = Output.table([
            ("task", "\(round.taskID)"), ("round", "\(round.round)"),
            ("result", round.result.rawValue + (round.resultModel.map { "  \($0)" } ?? "")),
            ("opened at", "\(round.openedHeight)"),
            ("base model", "version \(round.baseVersion)  \(round.baseModel)"),
            ("selected", "\(round.selected.count) trainers, \(round.updateCommitments.count) committed"),
            ("pay", "budget \(round.budget), improvement \(round.improvement) ± \(round.improvementError) micro-nats, "
                + "paid \(round.earned)"),
        ])
        lines.append("updates (\(round.updates.count))")
        for update in round.updates {
            var line = "  \(update.contributor)  blob \(update.blob.hexString.prefix(16))…  "
                + "claims \(update.sampleCount) samples"
            if let verdict = update.verdict {
                let judgement = verdict.harmful ? "HARMFUL" : verdict.excluded ? "excluded" : "accepted"
                line += "  score \(verdict.consensusScore)  evidence \(verdict.evidence)  \(judgement)"
                    + "  reward \(verdict.reward)"
                if verdict.slashed > 0 { line += "  slashed \(verdict.slashed)" }
            }
            lines.append(line)
        }
        for copier in round.copies {
            lines.append("  \(copier)  copied an update already revealed  reward 0")
        }
        for commitment in round.updateCommitments where forfeited.contains(commitment.member) {
            lines.append("  \(commitment.member)  committed, never revealed: forfeited its reveal deposit")
        }
        let scores = Dictionary(round.scores.map { ($0.evaluator, $0) }) { first, _ in first }
        let attestations = Dictionary(round.attestations.map { ($0.evaluator, $0) }) { first, _ in first }
        let payouts = Dictionary(round.evaluatorPayouts.map { ($0.evaluator, $0) }) { first, _ in first }
        let evaluators = Set(round.scoreCommitments.map(\.member)).union(scores.keys).union(attestations.keys).sorted()
        lines.append("evaluators (\(evaluators.count))")
        for evaluator in evaluators {
            var line = "  \(evaluator)"
            if forfeited.contains(evaluator) { line += "  committed, never revealed: forfeited its reveal deposit" }
            if let weight = scores[evaluator]?.weight { line += "  weight \(weight)" }
            if let payout = payouts[evaluator] {
                line += "  agreement \(Self.percent(payout.agreementBasisPoints))  reward \(payout.reward)"
            }
            if let attestation = attestations[evaluator] {
                let metric = Self.percent(attestation.metricBasisPoints)
                line += "  attested \(attestation.model.hexString.prefix(16))… at \(metric), "
                    + "improvement \(attestation.improvement) ± \(attestation.improvementError)"
            }
            lines.append(line)
        }
        return lines
    }

    /// Basis points as a percentage with two decimals: `9500` → `95.00%`.
    static func percent(_ basisPoints: UInt16) -> String {
        self.hundredths(Int(basisPoints)) + "%"
    }

    /// Hundredths as a decimal with two places: `300` → `3.00`.
    static func hundredths(_ value: Int) -> String {
        String(format: "%d.%02d", value / 100, value % 100)
    }
}

/// `deai query model TASK VERSION`.
struct QueryModel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Show a model version of a training task with its lineage: the round it came from."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var node: NodeOptions
    @Argument(help: "Task ID") var task: UInt64
    @Argument(help: "Model version, from 1") var version: UInt32

    func run() async throws {
        let version = try await self.node.call { try await $0.modelVersion(task: self.task, version: self.version) }
        try Output.emit(version, json: self.global.json) { version in
            var lines = Output.table([
                ("task", "\(version.taskID)"), ("version", "\(version.version)"), ("model", version.model.description),
                ("parent", version.parent.description), ("round", "\(version.round)"),
                ("agreed at", "\(version.height)"), ("accuracy", QueryRound.percent(version.metricBasisPoints)),
                ("attested by", "\(version.attestedStake) of \(version.evaluatorStake) evaluator stake"),
            ])
            lines.append("contributors (\(version.contributors.count))")
            lines += version.contributors.map { "  \($0)" }
            if let lineage = version.lineage {
                lines.append("lineage")
                lines += QueryRound.describe(lineage).map { "  " + $0 }
            }
            return lines
        }
    }
}
