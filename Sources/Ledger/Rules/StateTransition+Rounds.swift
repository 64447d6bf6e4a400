// The round clock of training tasks: opening rounds, closing the commit and reveal phases, agreeing on models.

import DeAICore

extension StateTransition {
    /// Moves every unfinished task forward, in identifier order: opens round 1 after enrollment (once the task's
    /// minimum of evaluators joined), closes phases whose deadline came or whose participants all acted, forfeits
    /// the deposits of commitments never revealed, judges updates, and records agreed model versions.
    static func advanceTrainingTasks(in state: inout LedgerState, context: BlockContext) {
        let active = state.tasks.values.filter { $0.status != .completed }.map(\.id).sorted()
        for id in active {
            self.advanceTask(id, in: &state, context: context)
        }
    }

    private static func advanceTask(_ id: UInt64, in state: inout LedgerState, context: BlockContext) {
        guard var task = state.tasks[id] else { return }
        if task.status == .enrolling {
            let enrolled = context.height >= self.height(task.createdHeight, plus: UInt64(task.spec.enrollmentBlocks))
            guard enrolled, !self.eligibleTrainers(of: task, in: state).isEmpty,
                self.evaluators(of: task, in: state).count >= Int(task.spec.minimumEvaluators)
            else { return }
            task.status = .running
            self.openRound(1, of: &task, in: &state, context: context)
            return
        }
        guard task.status == .running, var round = state.rounds[id]?[task.round] else { return }
        let deadline = context.height >= task.phaseEndHeight
        let spec = task.spec
        switch task.phase {
        case .commitUpdates:
            guard deadline || round.updateCommitments.count == round.selected.count else { return }
            guard !round.updateCommitments.isEmpty else {
                return self.finish(&round, .noUpdates, task: &task, in: &state, context: context)
            }
            state.setRound(round)
            self.enterPhase(.revealUpdates, blocks: spec.revealBlocks, of: &task, in: &state, context: context)
        case .revealUpdates:
            guard deadline || round.updates.count + round.copies.count == round.updateCommitments.count else { return }
            let revealed = Set(round.updates.map(\.contributor) + round.copies)
            self.forfeit(round.updateCommitments.map(\.member).filter { !revealed.contains($0) }, in: &round, task: &task, state: &state)
            guard !round.updates.isEmpty else {
                return self.finish(&round, .noUpdates, task: &task, in: &state, context: context)
            }
            state.setRound(round)
            self.enterPhase(.commitScores, blocks: spec.scoreBlocks, of: &task, in: &state, context: context)
        case .commitScores:
            let evaluators = self.evaluators(of: task, in: state)
            guard deadline || round.scoreCommitments.count == evaluators.count else { return }
            guard round.scoreCommitments.count >= Int(spec.minimumEvaluators) else {
                return self.finish(&round, .noScores, task: &task, in: &state, context: context)
            }
            state.setRound(round)
            self.enterPhase(.revealScores, blocks: spec.revealBlocks, of: &task, in: &state, context: context)
        case .revealScores:
            guard deadline || round.scores.count == round.scoreCommitments.count else { return }
            let revealed = Set(round.scores.map(\.evaluator))
            self.forfeit(round.scoreCommitments.map(\.member).filter { !revealed.contains($0) }, in: &round, task: &task, state: &state)
            guard round.scores.count >= Int(spec.minimumEvaluators) else {
                return self.finish(&round, .noScores, task: &task, in: &state, context: context)
            }
            self.judge(&round, task: &task, in: &state)
            guard round.verdicts.filter(\.accepted).count >= Int(spec.minimumAccepted) else {
                return self.finish(&round, .tooFewAccepted, task: &task, in: &state, context: context)
            }
            state.setRound(round)
            self.enterPhase(.attesting, blocks: spec.attestBlocks, of: &task, in: &state, context: context)
        case .attesting:
            let everyoneAttested = round.attestations.count == round.scores.count
            guard deadline || everyoneAttested else { return }
            if let agreed = self.agreedModel(of: round) {
                round.improvement = agreed.improvement
                round.improvementError = agreed.improvementError
                guard !RoundSettlement.regressed(
                    improvement: agreed.improvement, error: agreed.improvementError,
                    tolerance: spec.regressionTolerance, confidenceHundredths: spec.regressionConfidenceHundredths)
                else {
                    return self.finish(&round, .regression, task: &task, in: &state, context: context)
                }
                let version = ModelVersion(
                    taskID: task.id, version: task.version + 1, round: round.number, model: agreed.model,
                    parent: task.model, height: context.height, contributors: round.acceptedUpdates.map(\.contributor),
                    metricBasisPoints: agreed.metricBasisPoints, attestedStake: agreed.weight,
                    evaluatorStake: agreed.panelWeight)
                round.resultModel = version.model
                task.model = version.model
                task.version = version.version
                state.setModelVersion(version)
                self.pay(&round, agreed: agreed.model, task: &task, in: &state)
                self.finish(&round, .newVersion, task: &task, in: &state, context: context)
            } else {
                self.finish(&round, .noQuorum, task: &task, in: &state, context: context)
            }
        }
    }

    // MARK: - Round life cycle

    private static func enterPhase(
        _ phase: RoundPhase, blocks: UInt32, of task: inout TrainingTask, in state: inout LedgerState, context: BlockContext
    ) {
        task.phase = phase
        task.phaseEndHeight = self.height(context.height, plus: UInt64(blocks))
        state.setTask(task)
    }

    /// Opens round `number`: selects its trainers with randomness from the previous block's hash.
    private static func openRound(_ number: UInt32, of task: inout TrainingTask, in state: inout LedgerState, context: BlockContext) {
        let seed = RoundSettlement.selectionSeed(previousBlockHash: context.previousBlockHash, taskID: task.id, round: number)
        let selected = RoundSettlement.select(
            Int(task.spec.participantsPerRound), from: self.eligibleTrainers(of: task, in: state), seed: seed)
        task.round = number
        // Sorted and without repeats, as a sealed blob names them (two evaluators may register one key).
        let registered = self.evaluators(of: task, in: state).compactMap { state.taskMembers[task.id]?[$0.address]?.sealingKey }
        let sealingKeys = task.spec.sealedUpdates ? Array(Set(registered).sorted().prefix(SealedBlob.recipientLimit)) : []
        state.setRound(
            TrainingRound(
                taskID: task.id, number: number, openedHeight: context.height, baseModel: task.model,
                baseVersion: task.version, baseParent: self.momentumParent(of: task, openingRound: number, in: state),
                selected: selected, sealingKeys: sealingKeys))
        self.enterPhase(.commitUpdates, blocks: task.spec.updateBlocks, of: &task, in: &state, context: context)
    }

    /// The parent of the task's current model when the previous round made that model, else `nil`: momentum carries
    /// the last step forward once, and a round that left the model in place (a regression, say) resets it, so a
    /// rejected step is not tried again.
    private static func momentumParent(of task: TrainingTask, openingRound number: UInt32, in state: LedgerState) -> SHA256Digest? {
        guard number > 1, state.rounds[task.id]?[number - 1]?.result == .newVersion else { return nil }
        return state.modelVersions[task.id]?[task.version]?.parent
    }

    /// Records how the round ended, then opens the next round or completes the task.
    private static func finish(
        _ round: inout TrainingRound, _ result: RoundResult, task: inout TrainingTask, in state: inout LedgerState,
        context: BlockContext
    ) {
        round.result = result
        if round.budget == 0 { round.budget = self.roundBudget(of: task) }
        state.setRound(round)
        if task.round < task.spec.rounds {
            self.openRound(task.round + 1, of: &task, in: &state, context: context)
        } else {
            self.complete(&task, in: &state)
        }
    }

    /// Completes a task: the escrow's rest goes back to the sponsor and every member's stake back to it.
    private static func complete(_ task: inout TrainingTask, in state: inout LedgerState) {
        task.status = .completed
        // Escrow and stakes are part of the supply, so crediting them back cannot overflow.
        try? self.credit(task.escrow, to: task.sponsor, in: &state)
        task.escrow = 0
        for (address, var member) in (state.taskMembers[task.id] ?? [:]).sorted(by: { $0.key < $1.key }) where member.active {
            try? self.credit(member.stake, to: address, in: &state)
            member.stake = 0
            member.active = false
            state.setTaskMember(member, taskID: task.id, address: address)
        }
        state.setTask(task)
    }

    // MARK: - Members

    /// Active trainers whose stake is at least the task's minimum and whose privacy budget, in a task with DP,
    /// affords another round, sorted by address.
    static func eligibleTrainers(of task: TrainingTask, in state: LedgerState) -> [Address] {
        (state.taskMembers[task.id] ?? [:])
            .filter { _, member in
                member.active && member.role == .trainer && member.stake >= task.spec.minimumStake
                    && task.spec.privacy.map { $0.affordsRound(after: member.privacySpent) } ?? true
            }
            .keys.sorted()
    }

    /// Active evaluators and their stakes, sorted by address.
    static func evaluators(of task: TrainingTask, in state: LedgerState) -> [(address: Address, stake: Amount)] {
        (state.taskMembers[task.id] ?? [:])
            .filter { $0.value.active && $0.value.role == .evaluator }
            .map { (address: $0.key, stake: $0.value.stake) }
            .sorted { $0.address < $1.address }
    }
}
