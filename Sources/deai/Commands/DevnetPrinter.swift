// How `deai devnet` shows its progress and its report to people.

import Devnet
import Federation
import Foundation
import Ledger
import Learning

/// The text of `deai devnet`: a line per event while it runs, then the tables.
enum DevnetPrinter {
    static func lines(for event: DevnetEvent, options: DevnetOptions) -> [String] {
        switch event {
        case .started(let validators, let directory):
            let attack = options.attackSpec?.description ?? "mixed attacks"
            return [
                "DeAI devnet — \(options.dataDescription)",
                "  \(options.participants) data owners (\(options.malicious) malicious: \(attack)), "
                    + "\(options.evaluators) evaluators, \(options.rounds) rounds, \(options.nonIID ? "non-IID" : "IID") data, "
                    + "rule \(options.rule.rawValue), seed \(options.seed)",
            ] + Self.privacyLine(options) + (validators.count == 1
                ? ["  validator API \(validators[0].apiURL), nodes in \(directory)"]
                : ["  \(validators.count) validator processes, nodes in \(directory):"]
                    + validators.map { "    \($0.name)  API \($0.apiURL)" })
        case .taskPosted(let taskID, let owners, let evaluators):
            return ["  task \(taskID) posted; \(owners) data owners and \(evaluators) evaluators joined with stake", ""]
        case .validatorCrashed(let name, let round, let stranded):
            return ["  \(name) killed (SIGKILL) as round \(round) opened; stranded with it: \(stranded.joined(separator: ", "))"]
        case .roundEnded(let round):
            return [
                String(
                    format: "round %2d  accuracy %5.1f%% (centralized %5.1f%%)  updates %d: %d accepted, %d harmful  paid %d  slashed %d  %@  %.2f s",
                    round.round, round.testAccuracy * 100, round.centralizedAccuracy * 100, round.submitted, round.accepted,
                    round.harmful, round.rewarded, round.slashed, round.result, round.seconds)
            ]
        }
    }

    /// How the owners train privately, when they do.
    private static func privacyLine(_ options: DevnetOptions) -> [String] {
        let sealed = options.sealedUpdates ? ["  updates sealed to the evaluators' keys (HPKE): no one else, attackers included, can read them"] : []
        guard let privacy = options.privacy else { return sealed }
        return sealed + [
            String(
                format: "  DP-SGD: each owner samples q = %.3g of its data per step, %d steps a round, clips each example to %.3g, noise σ = %.3f; budget ε = %@, δ = %.0e, accounted on the chain",
                privacy.samplingRate, privacy.stepsPerRound, privacy.clippingNorm, privacy.noiseMultiplier,
                PrivacyTerms.decimal(millionths: privacy.epsilonMillionths), privacy.delta)
        ]
    }

    /// Each participant's check of its own table: cells imputed and rows per class.
    private static func dataQuality(_ report: DevnetReport) -> [String] {
        ["", "each participant's check of its own data (on a real network it stays on the participant's machine):"]
            + report.participants.map { row in
                let classes = zip(report.classNames, row.data.classCounts).map { "\($0) \($1)" }.joined(separator: ", ")
                return "  \(row.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(row.samples) rows, "
                    + "\(row.data.missingCells) missing cells imputed; \(classes)"
            }
    }

    static func summary(_ report: DevnetReport) -> [String] {
        let private_ = report.participants.contains { $0.epsilon != nil }
        var lines = ["", "participant    role        samples  behaviour        mean score  accepted  earned   slashed  Shapley"
            + (private_ ? "  ε spent" : "")]
        for row in report.participants {
            lines.append(
                [
                    row.name.padding(toLength: 14, withPad: " ", startingAt: 0),
                    row.role.padding(toLength: 11, withPad: " ", startingAt: 0),
                    String(row.samples).leftPadded(7),
                    "  " + row.behaviour.padding(toLength: 15, withPad: " ", startingAt: 0),
                    (row.meanScore.map { String(format: "%+.5f", $0) } ?? "").leftPadded(10),
                    (row.role == "data owner" ? String(row.acceptedRounds) : "").leftPadded(9),
                    String(row.earned).leftPadded(8),
                    String(row.slashed).leftPadded(9),
                    (row.shapley.map { String(format: "%+.4f", $0) } ?? "").leftPadded(9),
                ].joined(separator: " ") + (private_ ? (row.epsilon.map { String(format: "%.2f", $0) } ?? "").leftPadded(9) : ""))
        }
        if report.options.table != nil { lines += self.dataQuality(report) }
        lines.append("")
        lines.append(
            String(
                format: "final accuracy %.1f%% — centralized training on the pooled data %.1f%%", report.finalAccuracy * 100,
                report.centralizedAccuracy * 100))
        lines.append(String(format: "malicious owners earned %.1f%% of contributor rewards", report.maliciousRewardShare * 100))
        if let backdoor = report.backdoor {
            lines.append(
                String(
                    format: "backdoor: %.1f%% of triggered test inputs classified as %d (initial model %.1f%%)",
                    backdoor.successRate * 100, backdoor.target, backdoor.initialSuccessRate * 100))
        }
        if let correlation = report.rewardShapleyCorrelation {
            lines.append(String(format: "honest owners' rewards vs the independent Shapley oracle: Spearman %.2f", correlation))
        }
        lines.append("")
        lines.append("lineage (model versions agreed by > 2/3 of evaluator stake):")
        for version in report.lineage {
            lines.append(
                String(
                    format: "  v%d  round %d  %@…  parent %@…  %d contributors  accuracy %.1f%%", version.version, version.round,
                    String(version.model.prefix(12)), String(version.parent.prefix(12)), version.contributors, version.testAccuracy * 100))
        }
        lines.append("")
        lines.append("final model \(report.finalModel)")
        lines.append(String(format: "%d rounds in %.1f s", report.rounds.count, report.seconds))
        lines.append("check every figure: \(report.apiURL)/v1/tasks/\(report.taskID) and /v1/tasks/\(report.taskID)/rounds/{n}")
        return lines
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        self.count >= width ? self : String(repeating: " ", count: width - self.count) + self
    }
}
