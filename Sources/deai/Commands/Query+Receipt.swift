// `deai query receipt`: a member's receipt for a training round, with the formulas of its pay.

import APITypes
import ArgumentParser
import DeAICore
import Ledger
import Node

/// `deai query receipt --task ID --round N ADDRESS`: what the member did in the round, how it was judged, and what
/// it was paid or slashed, with every number and formula (`GET /v1/tasks/{id}/rounds/{n}/receipts/{address}`).
struct QueryReceipt: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt",
        abstract: "Show a member's receipt for a round: its part, the assessments, the verdict, and its pay's formula.",
        discussion: """
            A contributor's receipt shows its commitment and revealed update, every evaluator's assessment of it \
            (weight, score, harm ± standard error, evidence), the consensus score and evidence against the task's \
            harm tolerance, the verdict, any slash and the evidence for it, and the formula of its reward from the \
            round's budget and improvement. An evaluator's shows its weight, assessments, attestation, agreement \
            with the consensus, and the formula of its reward. An address that took no part in the round is an \
            error (not_in_round).
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var node: NodeOptions
    @Option(help: "The task's identifier") var task: UInt64
    @Option(help: "The round number, from 1") var round: UInt32
    @Argument(help: "The member's address (deai1…)", transform: ArgumentParsing.address) var address: Address

    func run() async throws {
        let path = "/v1/tasks/\(self.task)/rounds/\(self.round)/receipts/\(self.address)"
        let receipt = try await self.node.call { try await $0.get(path, as: RoundReceiptView.self) }
        try Output.emit(receipt, json: self.global.json, human: Self.describe)
    }

    /// The lines that show a receipt.
    static func describe(_ receipt: RoundReceiptView) -> [String] {
        let pay = receipt.pay
        var lines = Output.table([
            ("task", "\(receipt.taskID)"), ("round", "\(receipt.round) (\(receipt.result.rawValue))"),
            ("address", receipt.address.description),
            ("budget", "\(pay.budget)"), ("improvement", "\(pay.improvement) micro-nats"),
            ("pay rate", "\(pay.rewardPool) / \(pay.rounds) rounds per \(pay.fullRewardImprovement) micro-nats"),
            (
                "earned",
                "\(pay.earned): contributors \(pay.contributorsPart), evaluators \(pay.evaluatorsPart) "
                    + "(\(QueryRound.percent(pay.evaluatorShareBasisPoints))); paid \(pay.paid)"
            ),
            ("formula", pay.formula),
        ])
        if let contributor = receipt.contributor {
            lines += ["as a contributor"] + Self.describe(contributor).map { "  " + $0 }
        }
        if let evaluator = receipt.evaluator {
            lines += ["as an evaluator"] + Self.describe(evaluator).map { "  " + $0 }
        }
        return lines
    }

    private static func describe(_ part: ContributorReceiptView) -> [String] {
        var rows: [(String, String)] = [
            ("selected", part.selected ? "yes" : "no"),
            ("commitment", part.commitment?.description ?? "none"),
            ("revealed", Self.revealed(part.revealed, forfeited: part.forfeited, deposit: part.revealDeposit)),
        ]
        if part.copy { rows.append(("copy", "the update repeats one already revealed in the task")) }
        if let update = part.update {
            rows.append(("update", "blob \(update.blob), claims \(update.sampleCount) samples (never weighed)"))
        }
        if let score = part.consensusScore, let evidence = part.evidence {
            let confidence = QueryRound.hundredths(Int(part.harmConfidenceHundredths))
            rows.append(("consensus", "score \(score), evidence of harm \(evidence) (harm less \(confidence) "
                + "standard errors; harmful above \(part.harmTolerance))"))
        }
        if let verdict = part.verdict { rows.append(("verdict", verdict)) }
        if let slash = part.slash { rows.append(("slashed", "\(slash.amount): \(slash.reason)")) }
        rows += [("reward", "\(part.reward)"), ("formula", part.formula)]
        if let earned = part.inferenceEarnings {
            rows.append(("from inference", "\(earned) so far: its share of the claims on channels serving this round's model version or a later one"))
        }
        return Output.table(rows) + Self.describe(part.assessments, naming: \.evaluator)
    }

    private static func describe(_ part: EvaluatorReceiptView) -> [String] {
        var rows: [(String, String)] = [
            ("data", part.dataCommitment?.description ?? "no commitment"),
            ("commitment", part.commitment?.description ?? "none"),
            ("revealed", Self.revealed(part.revealed, forfeited: part.forfeited, deposit: part.revealDeposit)),
        ]
        if let weight = part.weight { rows.append(("weight", "\(weight)")) }
        if let attestation = part.attestation {
            let agreed = part.attestedResult.map { $0 ? " (the new version)" : " (not the new version)" } ?? ""
            rows.append(
                (
                    "attested",
                    "\(attestation.model)\(agreed), accuracy \(QueryRound.percent(attestation.metricBasisPoints)), "
                        + "improvement \(attestation.improvement) ± \(attestation.improvementError) micro-nats"
                ))
        }
        if let agreement = part.agreementBasisPoints {
            rows.append(("agreement", "\(QueryRound.percent(agreement)), share \(part.share ?? 0)"))
        }
        rows += [("reward", "\(part.reward)"), ("formula", part.formula)]
        return Output.table(rows) + Self.describe(part.assessments, naming: \.contributor)
    }

    /// Whether the member revealed, or forfeited its deposit.
    private static func revealed(_ revealed: Bool, forfeited: Bool, deposit: Amount) -> String {
        forfeited ? "no: forfeited the reveal deposit \(deposit)" : revealed ? "yes" : "not yet"
    }

    /// One line per assessment, naming the member at `member`.
    private static func describe(
        _ assessments: [ReceiptAssessmentView], naming member: KeyPath<ReceiptAssessmentView, Address>
    ) -> [String] {
        guard !assessments.isEmpty else { return [] }
        return ["assessments (\(assessments.count))"]
            + assessments.map { assessment in
                "  \(assessment[keyPath: member])  weight \(assessment.weight.map(String.init) ?? "-")"
                    + "  score \(assessment.score)  harm \(assessment.harm) ± \(assessment.harmError)"
                    + "  evidence \(assessment.evidence)" + (assessment.excluded ? "  excluded" : "")
            }
    }
}
