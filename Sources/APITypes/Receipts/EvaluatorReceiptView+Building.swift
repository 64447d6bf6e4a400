// APITypes: an evaluator's part of a round receipt, from the round record.

import DeAICore
import Ledger

extension EvaluatorReceiptView {
    /// The part of `address` as an evaluator in `pay`'s round; `nil` when it committed no scores.
    init?(_ address: Address, dataCommitment: SHA256Digest?, pay: RoundPay) {
        let round = pay.round
        let commitment = round.scoreCommitments.first { $0.member == address }?.hash
        let position = round.scores.firstIndex { $0.evaluator == address }
        let attestation = round.attestations.first { $0.evaluator == address }
        guard commitment != nil || position != nil || attestation != nil else { return nil }
        let payout = round.evaluatorPayouts.first { $0.evaluator == address }
        let forfeited = commitment != nil && round.forfeited.contains(address)

        self.dataCommitment = dataCommitment
        self.commitment = commitment
        self.revealed = position != nil
        self.forfeited = forfeited
        self.revealDeposit = pay.spec.revealDeposit
        self.weight = position.flatMap { round.weight(at: $0) }
        self.assessments =
            position.map { position in
                zip(round.scores[position].assessments, round.updates).map { assessment, update in
                    ReceiptAssessmentView(
                        assessment, evaluator: address, contributor: update.contributor,
                        weight: round.weight(at: position), confidenceHundredths: pay.spec.harmConfidenceHundredths)
                }
            } ?? []
        self.attestation = attestation.map(RoundView.AttestationView.init)
        self.attestedResult = round.resultModel.flatMap { model in attestation.map { $0.model == model } ?? false }
        self.agreementBasisPoints = payout?.agreementBasisPoints
        self.share = payout.map(RoundPay.evaluatorShare(of:))
        self.reward = payout?.reward ?? 0
        if forfeited {
            self.formula =
                "reward = 0: committed scores, but did not reveal them in time; forfeited the reveal deposit "
                + "\(pay.spec.revealDeposit)"
        } else if position == nil {
            self.formula = "reward = 0 so far: the scores are not revealed yet"
        } else {
            self.formula = pay.evaluatorFormula(payout)
        }
    }
}
