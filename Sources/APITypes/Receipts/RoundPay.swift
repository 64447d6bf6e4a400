// APITypes: a round's pay recomputed from its record and the task's terms, with the formulas that explain it.

import DeAICore
import Ledger

/// A round's pay as the ledger computes it when a round makes a new model version: the round earns the task's fixed
/// rate per micro-nat of improvement (its pool spread over its rounds at the full-reward improvement each), at most
/// its budget; evaluators take their share of that, and contributors share the rest by positive consensus score;
/// evaluators share theirs by weight × agreement. Every division rounds down.
struct RoundPay {
    let round: TrainingRound
    let spec: TaskSpec
    /// What the round earned; 0 unless it made a new version.
    let earned: Amount
    /// The evaluators' part of ``earned``.
    let evaluatorsPart: Amount
    /// ``earned`` less the evaluators' part.
    let contributorsPart: Amount
    /// The sum of the accepted updates' positive consensus scores.
    let positiveScores: Amount
    /// The sum of the evaluators' shares (weight × agreement).
    let evaluatorShares: Amount

    init(round: TrainingRound, spec: TaskSpec) {
        self.round = round
        self.spec = spec
        self.earned =
            round.result == .newVersion
            ? RoundSettlement.earned(
                budget: round.budget, improvement: round.improvement, rewardPool: spec.rewardPool,
                rounds: spec.rounds, fullRewardImprovement: spec.fullRewardImprovement)
            : 0
        self.evaluatorsPart = StateTransition.share(
            of: self.earned, numerator: Amount(spec.evaluatorShareBasisPoints), denominator: 10_000)
        self.contributorsPart = self.earned - self.evaluatorsPart
        self.positiveScores = round.verdicts.reduce(0) { $0 &+ Self.positiveScore(of: $1) }
        self.evaluatorShares = round.evaluatorPayouts.reduce(0) { $0 &+ Self.evaluatorShare(of: $1) }
    }

    /// The verdict's consensus score when the update was accepted with a positive score, else 0.
    static func positiveScore(of verdict: UpdateVerdict) -> Amount {
        verdict.accepted && verdict.consensusScore > 0 ? Amount(verdict.consensusScore) : 0
    }

    /// An evaluator's share of the evaluators' part: its weight × its agreement.
    static func evaluatorShare(of payout: EvaluatorPayout) -> Amount {
        StateTransition.share(of: payout.weight, numerator: Amount(payout.agreementBasisPoints), denominator: 10_000)
    }

    /// The view of the round's pay.
    var view: RoundPayView {
        RoundPayView(
            budget: self.round.budget, improvement: self.round.improvement, rewardPool: self.spec.rewardPool,
            rounds: self.spec.rounds, fullRewardImprovement: self.spec.fullRewardImprovement, earned: self.earned,
            evaluatorShareBasisPoints: self.spec.evaluatorShareBasisPoints, contributorsPart: self.contributorsPart,
            evaluatorsPart: self.evaluatorsPart, positiveScores: self.positiveScores,
            evaluatorShares: self.evaluatorShares, paid: self.round.earned,
            formula: self.unpaidReason.map { "earned = 0: \($0)" } ?? self.earnedFormula)
    }

    // MARK: - Formulas

    /// Why the round pays nobody, or `nil` when it made a new version with an improvement.
    var unpaidReason: String? {
        let spec = self.spec
        switch self.round.result {
        case .pending: return "the round is still running; it pays when it makes a new model version"
        case .noUpdates: return "the round ended no_updates: no update was revealed in time"
        case .noScores:
            return "the round ended no_scores: fewer than \(spec.minimumEvaluators) evaluators revealed scores in time"
        case .tooFewAccepted:
            return "the round ended too_few_accepted: fewer than \(spec.minimumAccepted) updates were accepted"
        case .noQuorum:
            return "the round ended no_quorum: no model was attested by more than 2/3 of the evaluators' weight"
        case .regression:
            let worse = -self.round.improvement
            let confidence = Self.decimal(hundredths: spec.regressionConfidenceHundredths)
            return "the round ended regression: the agreed model is worse than its parent by \(worse) ± "
                + "\(self.round.improvementError) micro-nats, more than the regression tolerance "
                + "\(spec.regressionTolerance) plus \(confidence) standard errors"
        case .newVersion:
            return self.round.improvement > 0 ? nil : "the improvement \(self.round.improvement) is not positive"
        }
    }

    /// `earned = min(budget B, pool P × improvement I / (rounds R × F)) = E`.
    var earnedFormula: String {
        let spec = self.spec
        return "earned = min(budget \(self.round.budget), pool \(spec.rewardPool) × improvement "
            + "\(self.round.improvement) / (rounds \(spec.rounds) × \(spec.fullRewardImprovement))) = \(self.earned)"
    }

    /// How a contributor's `reward` for an accepted update with `verdict` follows from the round's pay.
    func contributorFormula(_ verdict: UpdateVerdict) -> String {
        if let reason = self.unpaidReason { return "reward = 0: \(reason)" }
        let part = "\(self.earnedFormula); contributors' part = earned − "
            + "\(Self.percent(self.spec.evaluatorShareBasisPoints)) = \(self.contributorsPart)"
        guard verdict.consensusScore > 0 else {
            let outcome = verdict.accepted ? "" : ", and the contributor's earlier scores do not cover it: the update was left out of the aggregate"
            return "\(part); reward = 0: the consensus score \(verdict.consensusScore) is not positive" + outcome
        }
        return "\(part); reward = \(self.contributorsPart) × score \(verdict.consensusScore) / Σ positive scores "
            + "\(self.positiveScores) = \(verdict.reward)"
    }

    /// How an evaluator's reward in `payout` follows from the round's pay.
    func evaluatorFormula(_ payout: EvaluatorPayout?) -> String {
        if let reason = self.unpaidReason { return "reward = 0: \(reason)" }
        guard let payout else { return "reward = 0: the evaluator is not among the round's paid panel" }
        let share = Self.evaluatorShare(of: payout)
        let evaluators = Self.percent(self.spec.evaluatorShareBasisPoints)
        let agreement = Self.percent(payout.agreementBasisPoints)
        return "\(self.earnedFormula); evaluators' part = earned × \(evaluators) = \(self.evaluatorsPart); "
            + "share = weight \(payout.weight) × agreement \(agreement) = \(share); "
            + "reward = \(self.evaluatorsPart) × share \(share) / Σ shares \(self.evaluatorShares) = \(payout.reward)"
    }

    /// Basis points as a percentage without trailing zeros: `2000` → `20%`, `8750` → `87.5%`, `1` → `0.01%`.
    static func percent(_ basisPoints: UInt16) -> String {
        self.decimal(hundredths: basisPoints) + "%"
    }

    /// Hundredths as a decimal without trailing zeros: `300` → `3`, `250` → `2.5`, `5` → `0.05`.
    static func decimal(hundredths: UInt16) -> String {
        let whole = hundredths / 100
        let fraction = hundredths % 100
        guard fraction > 0 else { return "\(whole)" }
        let digits = fraction % 10 == 0 ? "\(fraction / 10)" : (fraction < 10 ? "0\(fraction)" : "\(fraction)")
        return "\(whole).\(digits)"
    }
}
