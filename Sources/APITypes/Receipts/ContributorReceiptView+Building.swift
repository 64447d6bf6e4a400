// APITypes: a trainer's part of a round receipt, from the round record.

import DeAICore
import Ledger

extension ContributorReceiptView {
    /// The part of `address` as a trainer in `pay`'s round; `nil` when it was not selected and committed nothing.
    init?(_ address: Address, pay: RoundPay) {
        let round = pay.round
        let spec = pay.spec
        let commitment = round.updateCommitments.first { $0.member == address }?.hash
        let index = round.updates.firstIndex { $0.contributor == address }
        let copy = round.copies.contains(address)
        guard round.selected.contains(address) || commitment != nil || index != nil || copy else { return nil }
        let forfeited = commitment != nil && round.forfeited.contains(address)
        let verdict = index.flatMap { $0 < round.verdicts.count ? round.verdicts[$0] : nil }

        self.selected = round.selected.contains(address)
        self.commitment = commitment
        self.revealed = index != nil || copy
        self.copy = copy
        self.forfeited = forfeited
        self.revealDeposit = spec.revealDeposit
        self.update = index.map { RoundView.UpdateView(round.updates[$0], verdict: nil) }
        self.assessments =
            index.map { update in
                round.scores.enumerated().map { position, scores in
                    ReceiptAssessmentView(
                        scores.assessments[update], evaluator: scores.evaluator, contributor: address,
                        weight: round.weight(at: position), confidenceHundredths: spec.harmConfidenceHundredths)
                }
            } ?? []
        self.consensusScore = verdict?.consensusScore
        self.evidence = verdict?.evidence
        self.harmTolerance = spec.harmTolerance
        self.harmConfidenceHundredths = spec.harmConfidenceHundredths
        self.verdict = verdict.map { $0.harmful ? "harmful" : $0.excluded ? "excluded" : $0.accepted ? "accepted" : "negative" }
        self.slash = verdict.flatMap { Self.slash($0, spec: spec) }
        self.reward = verdict?.reward ?? 0
        self.formula = Self.formula(
            verdict: verdict, commitment: commitment, copy: copy, forfeited: forfeited, revealed: index != nil,
            pay: pay)
    }

    /// The slash of a harmful update, with the evidence that caused it.
    private static func slash(_ verdict: UpdateVerdict, spec: TaskSpec) -> SlashView? {
        guard verdict.harmful else { return nil }
        let share = RoundPay.percent(spec.slashBasisPoints)
        let reason =
            "the weighted median evidence of harm \(verdict.evidence) (harm less "
            + "\(RoundPay.decimal(hundredths: spec.harmConfidenceHundredths)) standard errors) exceeds the harm "
            + "tolerance \(spec.harmTolerance): \(share) of the stake, \(verdict.slashed), was slashed"
        return SlashView(
            amount: verdict.slashed, slashBasisPoints: spec.slashBasisPoints, evidence: verdict.evidence,
            reason: reason)
    }

    /// How the reward follows, or why it is zero.
    private static func formula(
        verdict: UpdateVerdict?, commitment: SHA256Digest?, copy: Bool, forfeited: Bool, revealed: Bool,
        pay: RoundPay
    ) -> String {
        if commitment == nil {
            return "reward = 0: selected, but committed no update" + (pay.round.result == .pending ? " yet" : "")
        }
        if forfeited {
            return "reward = 0: committed, but did not reveal in time; forfeited the reveal deposit "
                + "\(pay.spec.revealDeposit)"
        }
        if copy { return "reward = 0: the revealed update repeats one already revealed in the task" }
        if !revealed { return "reward = 0 so far: the update is not revealed yet" }
        guard let verdict else {
            return pay.round.result == .pending
                ? "reward = 0 so far: the update is not judged yet"
                : "reward = 0: \(pay.unpaidReason ?? "the update was not judged")"
        }
        if verdict.harmful { return "reward = 0: the update was judged harmful" }
        if verdict.excluded { return "reward = 0: evaluators holding more than half of the weight excluded it" }
        return pay.contributorFormula(verdict)
    }
}
