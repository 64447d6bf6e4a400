// Posting, joining and leaving training tasks, and the submissions of a round.

import DeAICore

extension StateTransition {
    /// The largest magnitude of a score, in micro-units.
    static let scoreLimit: Int64 = 1_000_000_000
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
        _ taskID: UInt64, role: TaskRole, stake: Amount, member address: Address, in state: inout LedgerState,
        context: BlockContext
    ) throws(LedgerError) {
        let task = try self.openTask(taskID, in: state)
        if let existing = state.taskMembers[taskID]?[address], existing.active {
            throw .alreadyTaskMember(taskID: taskID, member: address, role: existing.role)
        }
        guard stake >= task.spec.minimumStake else { throw .stakeBelowMinimum(minimum: task.spec.minimumStake, offered: stake) }
        try self.debit(stake, from: address, in: &state)
        var member = state.taskMembers[taskID]?[address] ?? TaskMember(role: role, stake: 0, joinedHeight: context.height)
        member.role = role
        member.stake = stake
        member.joinedHeight = context.height
        member.active = true
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

    static func submitUpdate(
        taskID: UInt64, round number: UInt32, blob: SHA256Digest, sampleCount: UInt64, contributor: Address,
        in state: inout LedgerState, context: BlockContext
    ) throws(LedgerError) {
        var round = try self.currentRound(taskID, number: number, phase: .updates, member: contributor, role: .trainer, in: state)
        guard round.selected.contains(contributor) else { throw .notSelected(taskID: taskID, round: number, trainer: contributor) }
        guard !round.updates.contains(where: { $0.contributor == contributor }), !round.copies.contains(contributor) else {
            throw .alreadySubmitted(taskID: taskID, round: number, member: contributor, what: "an update")
        }
        guard (1...self.sampleCountLimit).contains(sampleCount) else {
            throw .invalidSubmission(reason: "sample count \(sampleCount) is not in 1...\(self.sampleCountLimit)")
        }
        if round.updates.contains(where: { $0.blob == blob }) {
            // A replay: recorded as the contributor's turn, never as an update.
            round.copies.insert(contributor, at: round.copies.firstIndex { $0 > contributor } ?? round.copies.count)
            return state.setRound(round)
        }
        let submission = UpdateSubmission(contributor: contributor, blob: blob, sampleCount: sampleCount, height: context.height)
        let position = round.updates.firstIndex { $0.contributor > contributor } ?? round.updates.count
        round.updates.insert(submission, at: position)
        state.setRound(round)
    }

    static func submitScores(
        taskID: UInt64, round number: UInt32, scores: [Int64], evaluator: Address, in state: inout LedgerState
    ) throws(LedgerError) {
        var round = try self.currentRound(taskID, number: number, phase: .scoring, member: evaluator, role: .evaluator, in: state)
        guard !round.scores.contains(where: { $0.evaluator == evaluator }) else {
            throw .alreadySubmitted(taskID: taskID, round: number, member: evaluator, what: "scores")
        }
        guard scores.count == round.updates.count else {
            throw .scoreCountMismatch(taskID: taskID, round: number, expected: round.updates.count, received: scores.count)
        }
        if let bad = scores.first(where: { !(-self.scoreLimit...self.scoreLimit).contains($0) }) {
            throw .invalidSubmission(reason: "score \(bad) is outside ±\(self.scoreLimit)")
        }
        let position = round.scores.firstIndex { $0.evaluator > evaluator } ?? round.scores.count
        round.scores.insert(EvaluatorScores(evaluator: evaluator, scores: scores), at: position)
        state.setRound(round)
    }

    static func attestModel(
        taskID: UInt64, round number: UInt32, model: SHA256Digest, metricBasisPoints: UInt16, evaluator: Address,
        in state: inout LedgerState
    ) throws(LedgerError) {
        var round = try self.currentRound(taskID, number: number, phase: .attesting, member: evaluator, role: .evaluator, in: state)
        guard !round.attestations.contains(where: { $0.evaluator == evaluator }) else {
            throw .alreadySubmitted(taskID: taskID, round: number, member: evaluator, what: "an attestation")
        }
        guard metricBasisPoints <= 10_000 else {
            throw .invalidSubmission(reason: "metric \(metricBasisPoints) exceeds 10000 basis points")
        }
        let attestation = ModelAttestation(evaluator: evaluator, model: model, metricBasisPoints: metricBasisPoints)
        let position = round.attestations.firstIndex { $0.evaluator > evaluator } ?? round.attestations.count
        round.attestations.insert(attestation, at: position)
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
    /// until scoring closes, an evaluator while scoring or attesting.
    private static func hasDuty(_ address: Address, role: TaskRole, in task: TrainingTask, state: LedgerState) -> Bool {
        switch role {
        case .trainer:
            guard task.phase != .attesting, let round = state.rounds[task.id]?[task.round] else { return false }
            return round.selected.contains(address)
        case .evaluator:
            return task.phase != .updates
        }
    }
}
