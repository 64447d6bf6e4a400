// APITypes: building a member's round receipt from the committed round record and the task's terms.

public import DeAICore
public import Ledger

extension RoundReceiptView {
    /// The receipt of `address` for `round` of `task`, read at `height`; `nil` when the member took no part in the
    /// round: not selected, and no commitment, reveal or attestation of its own.
    ///
    /// - Parameters:
    ///   - member: the address's membership in the task, for an evaluator's data commitment.
    ///   - state: the state read, for what the round's model version has earned the address from inference.
    public init?(
        address: Address, round: TrainingRound, task: TrainingTask, member: TaskMember?, state: LedgerState,
        height: Height, proof: AccountProofView?
    ) {
        let pay = RoundPay(round: round, spec: task.spec)
        var contributor = ContributorReceiptView(address, pay: pay)
        if let version = state.modelVersions[task.id]?.values.first(where: { $0.round == round.number }) {
            let key = InferenceEarningKey(taskID: task.id, version: version.version, contributor: address)
            contributor?.inferenceEarnings = state.inferenceEarnings[key] ?? 0
        }
        let evaluator = EvaluatorReceiptView(address, dataCommitment: member?.dataCommitment, pay: pay)
        guard contributor != nil || evaluator != nil else { return nil }
        self.init(
            taskID: task.id, round: round.number, address: address, result: round.result, pay: pay.view,
            contributor: contributor, evaluator: evaluator, height: height, proof: proof)
    }
}

extension ReceiptAssessmentView {
    /// The view of `assessment` of `contributor`'s update by `evaluator`, whose evidence is taken at
    /// `confidenceHundredths`.
    init(
        _ assessment: UpdateAssessment, evaluator: Address, contributor: Address, weight: Amount?,
        confidenceHundredths: UInt16
    ) {
        self.evaluator = evaluator
        self.contributor = contributor
        self.weight = weight
        self.score = assessment.score
        self.harm = assessment.harm
        self.harmError = assessment.harmError
        self.evidence = assessment.evidence(confidenceHundredths: confidenceHundredths)
        self.excluded = assessment.excluded
    }
}

extension TrainingRound {
    /// The weight of the `index`th revealed scores in the medians, once judged.
    func weight(at index: Int) -> Amount? {
        index < self.weights.count ? self.weights[index] : nil
    }
}
