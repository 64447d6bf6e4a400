// Posting, joining and leaving training tasks, and the submissions of a round.

import DeAICore

extension StateTransition {
    /// The largest sample count an update may claim.
    static let sampleCountLimit: UInt64 = 1 << 40

    static func createTask(_ spec: TaskSpec, sponsor: Address, in state: inout LedgerState, context: BlockContext) throws(LedgerError) {
        try spec.validate()
        try self.debit(spec.rewardPool, from: sponsor, in: &state)
        let id = state.globals.nextTaskID
        state.globals.nextTaskID += 1
        state.setTask(TrainingTask(id: id, sponsor: sponsor, spec: spec, createdHeight: context.height))
    }

    static func joinTask(
        _ taskID: UInt64, role: TaskRole, stake: Amount, dataCommitment: SHA256Digest?, sealingKey: SealingPublicKey?,
        member address: Address, in state: inout LedgerState, context: BlockContext
    ) throws(LedgerError) {
        let task = try self.openTask(taskID, in: state)
        if let existing = state.taskMembers[taskID]?[address], existing.active {
            throw .alreadyTaskMember(taskID: taskID, member: address, role: existing.role)
        }
        guard stake >= task.spec.minimumStake else { throw .stakeBelowMinimum(minimum: task.spec.minimumStake, offered: stake) }
        guard role == .trainer || dataCommitment != nil else {
            throw .invalidSubmission(reason: "an evaluator joins with the hash of its held-out data (data commitment)")
        }
        guard role == .trainer || !task.spec.sealedUpdates || sealingKey != nil else {
            throw .invalidSubmission(
                reason: "an evaluator of a task with sealed updates joins with the key updates are sealed to (sealing key)")
        }
        try self.debit(stake, from: address, in: &state)
        var member = state.taskMembers[taskID]?[address] ?? TaskMember(role: role, stake: 0, joinedHeight: context.height)
        member.role = role
        member.stake = stake
        member.joinedHeight = context.height
        member.active = true
        member.dataCommitment = dataCommitment
        member.sealingKey = sealingKey
        state.setTaskMember(member, taskID: taskID, address: address)
    }

    static func leaveTask(_ taskID: UInt64, member address: Address, in state: inout LedgerState) throws(LedgerError) {
        let task = try self.openTask(taskID, in: state)
        guard var member = state.taskMembers[taskID]?[address], member.active else {
            throw .notTaskMember(taskID: taskID, member: address, role: nil)
        }
        if task.status == .running, self.hasDuty(address, role: member.role, in: task, state: state) {
            throw .memberBusy(taskID: taskID, member: address, round: task.round)
        }
        try self.credit(member.stake, to: address, in: &state)
        member.stake = 0
        member.active = false
        state.setTaskMember(member, taskID: taskID, address: address)
    }

    static func commitUpdate(
        taskID: UInt64, round number: UInt32, commitment: SHA256Digest, contributor: Address, in state: inout LedgerState
    ) throws(LedgerError) {
        var round = try self.currentRound(
            taskID, number: number, phase: .commitUpdates, member: contributor, role: .trainer, in: state)
        try self.requirePrivacyBudget(taskID, member: contributor, in: state)
        guard round.selected.contains(contributor) else { throw .notSelected(taskID: taskID, round: number, trainer: contributor) }
        guard !round.updateCommitments.contains(where: { $0.member == contributor }) else {
            throw .alreadySubmitted(taskID: taskID, round: number, member: contributor, what: "an update commitment")
        }
        round.updateCommitments.insertSorted(Commitment(member: contributor, hash: commitment), by: \.member)
        state.setRound(round)
    }

    static func revealUpdate(
        taskID: UInt64, round number: UInt32, blob: SHA256Digest, sampleCount: UInt64, salt: [UInt8],
        contributor: Address, in state: inout LedgerState, context: BlockContext
    ) throws(LedgerError) {
        var round = try self.currentRound(
            taskID, number: number, phase: .revealUpdates, member: contributor, role: .trainer, in: state)
        guard let commitment = round.updateCommitments.first(where: { $0.member == contributor }) else {
            throw .notCommitted(taskID: taskID, round: number, member: contributor, what: "update")
        }
        guard !round.updates.contains(where: { $0.contributor == contributor }), !round.copies.contains(contributor) else {
            throw .alreadySubmitted(taskID: taskID, round: number, member: contributor, what: "an update")
        }
        guard (1...self.sampleCountLimit).contains(sampleCount) else {
            throw .invalidSubmission(reason: "sample count \(sampleCount) is not in 1...\(self.sampleCountLimit)")
        }
        let opened = RoundCommitment.update(taskID: taskID, round: number, contributor: contributor, blob: blob, salt: salt)
        guard salt.count == RoundCommitment.saltLength, opened == commitment.hash else {
            throw .commitmentMismatch(taskID: taskID, round: number, member: contributor, what: "the update")
        }
        if self.wasRevealed(blob, in: taskID, upTo: round, state: state) {
            // A replay of an update already revealed in this task: recorded as the trainer's turn, never kept.
            round.copies.insertSorted(contributor, by: \.self)
            return state.setRound(round)
        }
        let epsilon = self.chargePrivacy(taskID, member: contributor, in: &state)
        let submission = UpdateSubmission(
            contributor: contributor, blob: blob, sampleCount: sampleCount, height: context.height, epsilonMillionths: epsilon)
        round.updates.insertSorted(submission, by: \.contributor)
        state.setRound(round)
    }

    static func commitScores(
        taskID: UInt64, round number: UInt32, commitment: SHA256Digest, evaluator: Address, in state: inout LedgerState
    ) throws(LedgerError) {
        var round = try self.currentRound(
            taskID, number: number, phase: .commitScores, member: evaluator, role: .evaluator, in: state)
        guard !round.scoreCommitments.contains(where: { $0.member == evaluator }) else {
            throw .alreadySubmitted(taskID: taskID, round: number, member: evaluator, what: "a score commitment")
        }
        round.scoreCommitments.insertSorted(Commitment(member: evaluator, hash: commitment), by: \.member)
        state.setRound(round)
    }

    static func revealScores(
        taskID: UInt64, round number: UInt32, assessments: [UpdateAssessment], salt: [UInt8], evaluator: Address,
        in state: inout LedgerState
    ) throws(LedgerError) {
        var round = try self.currentRound(
            taskID, number: number, phase: .revealScores, member: evaluator, role: .evaluator, in: state)
        guard let commitment = round.scoreCommitments.first(where: { $0.member == evaluator }) else {
            throw .notCommitted(taskID: taskID, round: number, member: evaluator, what: "scores")
        }
        guard !round.scores.contains(where: { $0.evaluator == evaluator }) else {
            throw .alreadySubmitted(taskID: taskID, round: number, member: evaluator, what: "scores")
        }
        guard assessments.count == round.updates.count else {
            throw .scoreCountMismatch(taskID: taskID, round: number, expected: round.updates.count, received: assessments.count)
        }
        let limit = UpdateAssessment.limit
        for assessment in assessments {
            let figures = [assessment.score, assessment.harm, assessment.harmError]
            guard figures.allSatisfy({ (-limit...limit).contains($0) }), assessment.harmError >= 0 else {
                throw .invalidSubmission(
                    reason: "assessment \(figures) is outside ±\(limit) micro-nats or has a negative standard error")
            }
        }
        let opened = RoundCommitment.scores(
            taskID: taskID, round: number, evaluator: evaluator, assessments: assessments, salt: salt)
        guard salt.count == RoundCommitment.saltLength, opened == commitment.hash else {
            throw .commitmentMismatch(taskID: taskID, round: number, member: evaluator, what: "the scores")
        }
        round.scores.insertSorted(EvaluatorScores(evaluator: evaluator, assessments: assessments), by: \.evaluator)
        state.setRound(round)
    }

    static func attestModel(
        taskID: UInt64, round number: UInt32, model: SHA256Digest, metricBasisPoints: UInt16, improvement: Int64,
        improvementError: Int64, evaluator: Address, in state: inout LedgerState
    ) throws(LedgerError) {
        var round = try self.currentRound(taskID, number: number, phase: .attesting, member: evaluator, role: .evaluator, in: state)
        guard !round.attestations.contains(where: { $0.evaluator == evaluator }) else {
            throw .alreadySubmitted(taskID: taskID, round: number, member: evaluator, what: "an attestation")
        }
        guard round.scores.contains(where: { $0.evaluator == evaluator }) else {
            throw .invalidSubmission(reason: "only evaluators that revealed scores in round \(number) attest its model")
        }
        guard metricBasisPoints <= 10_000 else {
            throw .invalidSubmission(reason: "metric \(metricBasisPoints) exceeds 10000 basis points")
        }
        guard (-UpdateAssessment.limit...UpdateAssessment.limit).contains(improvement) else {
            throw .invalidSubmission(reason: "improvement \(improvement) is outside ±\(UpdateAssessment.limit) micro-nats")
        }
        guard (0...UpdateAssessment.limit).contains(improvementError) else {
            throw .invalidSubmission(
                reason: "improvement error \(improvementError) is outside 0–\(UpdateAssessment.limit) micro-nats")
        }
        let attestation = ModelAttestation(
            evaluator: evaluator, model: model, metricBasisPoints: metricBasisPoints, improvement: improvement,
            improvementError: improvementError)
        round.attestations.insertSorted(attestation, by: \.evaluator)
        state.setRound(round)
    }

    // MARK: - Checks

    /// The task, unless it does not exist or has completed.
    private static func openTask(_ taskID: UInt64, in state: LedgerState) throws(LedgerError) -> TrainingTask {
        guard let task = state.tasks[taskID] else { throw .unknownTask(id: taskID) }
        guard task.status != .completed else { throw .taskCompleted(id: taskID) }
        return task
    }

    /// The task's current round, checked to be `number`, in `phase`, with `member` an active member in `role`.
    private static func currentRound(
        _ taskID: UInt64, number: UInt32, phase: RoundPhase, member: Address, role: TaskRole, in state: LedgerState
    ) throws(LedgerError) -> TrainingRound {
        let task = try self.openTask(taskID, in: state)
        guard let record = state.taskMembers[taskID]?[member], record.active, record.role == role else {
            throw .notTaskMember(taskID: taskID, member: member, role: role)
        }
        guard task.status == .running, task.round == number, let round = state.rounds[taskID]?[number] else {
            throw .wrongRound(taskID: taskID, current: task.round, received: number)
        }
        guard task.phase == phase else { throw .wrongPhase(taskID: taskID, round: number, expected: phase, actual: task.phase) }
        return round
    }

    /// Whether a member still owes the current round something or may still be judged in it: a selected trainer
    /// until its update is judged (scores revealed), an evaluator from the score commitments to the attestation.
    private static func hasDuty(_ address: Address, role: TaskRole, in task: TrainingTask, state: LedgerState) -> Bool {
        switch role {
        case .trainer:
            guard task.phase != .attesting, let round = state.rounds[task.id]?[task.round] else { return false }
            return round.selected.contains(address)
        case .evaluator:
            return task.phase != .commitUpdates && task.phase != .revealUpdates
        }
    }

    /// Refuses a trainer whose privacy budget in the task one more round would exceed.
    private static func requirePrivacyBudget(_ taskID: UInt64, member: Address, in state: LedgerState) throws(LedgerError) {
        guard let terms = state.tasks[taskID]?.spec.privacy, let record = state.taskMembers[taskID]?[member],
            !terms.affordsRound(after: record.privacySpent)
        else { return }
        throw .privacyBudgetExhausted(
            taskID: taskID, member: member, spentMillionths: terms.epsilonMillionths(spent: record.privacySpent),
            budgetMillionths: terms.epsilonMillionths)
    }

    /// Adds a round's RDP to what a trainer revealing an update has spent; returns its ε after, in millionths
    /// (`nil` in a task without DP).
    private static func chargePrivacy(_ taskID: UInt64, member: Address, in state: inout LedgerState) -> UInt64? {
        guard let terms = state.tasks[taskID]?.spec.privacy, var record = state.taskMembers[taskID]?[member] else {
            return nil
        }
        record.privacySpent = terms.charging(record.privacySpent)
        state.setTaskMember(record, taskID: taskID, address: member)
        return terms.epsilonMillionths(spent: record.privacySpent)
    }

    /// Whether `blob` was already revealed in `round` or in an earlier round of the task.
    private static func wasRevealed(_ blob: SHA256Digest, in taskID: UInt64, upTo round: TrainingRound, state: LedgerState) -> Bool {
        if round.updates.contains(where: { $0.blob == blob }) { return true }
        guard let rounds = state.rounds[taskID] else { return false }
        return (1..<round.number).contains { rounds[$0]?.updates.contains { $0.blob == blob } ?? false }
    }
}

extension Array {
    /// Inserts `element` before the first element whose key is greater, keeping the array sorted by `key`.
    mutating func insertSorted<Key: Comparable>(_ element: Element, by key: (Element) -> Key) {
        let position = self.firstIndex { key($0) > key(element) } ?? self.count
        self.insert(element, at: position)
    }
}
