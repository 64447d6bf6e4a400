// The round clock of training tasks: opening rounds, closing phases, settling scores and agreeing on models.

import DeAICore

extension StateTransition {
    /// Moves every unfinished task forward, in identifier order: opens round 1 after enrollment, closes phases
    /// whose deadline came or whose participants all acted, settles scores, and records agreed model versions.
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
                !self.evaluators(of: task, in: state).isEmpty
            else { return }
            task.status = .running
            self.openRound(1, of: &task, in: &state, context: context)
            return
        }
        guard task.status == .running, var round = state.rounds[id]?[task.round] else { return }
        let deadline = context.height >= task.phaseEndHeight
        switch task.phase {
        case .updates:
            guard deadline || round.updates.count + round.copies.count == round.selected.count else { return }
            guard !round.updates.isEmpty else {
                return self.finish(&round, .noUpdates, task: &task, in: &state, context: context)
            }
            self.enterPhase(.scoring, blocks: task.spec.scoreBlocks, of: &task, in: &state, context: context)
        case .scoring:
            let evaluators = self.evaluators(of: task, in: state)
            let everyoneScored = evaluators.allSatisfy { evaluator in round.scores.contains { $0.evaluator == evaluator.address } }
            guard deadline || everyoneScored else { return }
            guard !round.scores.isEmpty else {
                return self.finish(&round, .noScores, task: &task, in: &state, context: context)
            }
            self.settle(&round, task: &task, in: &state)
            guard round.verdicts.contains(where: \.accepted) else {
                return self.finish(&round, .noneAccepted, task: &task, in: &state, context: context)
            }
            state.setRound(round)
            self.enterPhase(.attesting, blocks: task.spec.attestBlocks, of: &task, in: &state, context: context)
        case .attesting:
            if let version = self.agreedVersion(of: round, task: task, in: state, context: context) {
                round.resultModel = version.model
                task.model = version.model
                task.version = version.version
                state.setModelVersion(version)
                self.finish(&round, .newVersion, task: &task, in: &state, context: context)
            } else if deadline {
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
        state.setRound(
            TrainingRound(
                taskID: task.id, number: number, openedHeight: context.height, baseModel: task.model,
                baseVersion: task.version, selected: selected))
        self.enterPhase(.updates, blocks: task.spec.updateBlocks, of: &task, in: &state, context: context)
    }

    /// Records how the round ended, then opens the next round or completes the task.
    private static func finish(
        _ round: inout TrainingRound, _ result: RoundResult, task: inout TrainingTask, in state: inout LedgerState,
        context: BlockContext
    ) {
        round.result = result
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

    // MARK: - Settlement

    /// Closes scoring: each update's consensus score is the stake-weighted median of the evaluators' scores;
    /// harmful contributors are slashed; the round's reward is paid to contributors in proportion to their
    /// positive consensus scores and to evaluators in proportion to stake times agreement with the consensus.
    private static func settle(_ round: inout TrainingRound, task: inout TrainingTask, in state: inout LedgerState) {
        let spec = task.spec
        let stakes = Dictionary(uniqueKeysWithValues: self.evaluators(of: task, in: state).map { ($0.address, $0.stake) })
        let consensus = round.updates.indices.map { index in
            RoundSettlement.weightedMedian(round.scores.map { (score: $0.scores[index], weight: stakes[$0.evaluator] ?? 0) })
        }
        let roundsLeft = Amount(spec.rounds - task.round + 1)
        let budget = task.escrow / roundsLeft
        let evaluatorBudget = self.share(of: budget, numerator: Amount(spec.evaluatorShareBasisPoints), denominator: 10_000)
        let contributorBudget = budget - evaluatorBudget

        let judgements = consensus.map { RoundSettlement.Judgement(score: $0, harmfulBelow: spec.harmfulScore) }
        let positive = zip(consensus, judgements).map { $1 == .useful ? Amount($0) : 0 }
        let totalPositive = positive.reduce(0, &+)
        var paid: Amount = 0
        round.verdicts = zip(round.updates, consensus).enumerated().map { index, entry in
            let (update, score) = entry
            let judgement = judgements[index]
            let reward = self.share(of: contributorBudget, numerator: positive[index], denominator: totalPositive)
            let slashed = judgement == .harmful ? self.slash(update.contributor, of: &task, in: &state) : 0
            self.pay(reward, to: update.contributor, of: task, in: &state)
            paid += reward
            return UpdateVerdict(consensusScore: score, accepted: judgement == .useful, harmful: judgement == .harmful, reward: reward, slashed: slashed)
        }

        let agreements = round.scores.map {
            RoundSettlement.agreementBasisPoints($0.scores, consensus: consensus, harmfulBelow: spec.harmfulScore)
        }
        let weights = zip(round.scores, agreements).map { scores, agreement in
            self.share(of: stakes[scores.evaluator] ?? 0, numerator: Amount(agreement), denominator: 10_000)
        }
        let totalWeight = weights.reduce(0, &+)
        round.evaluatorPayouts = zip(round.scores, zip(agreements, weights)).map { scores, entry in
            let reward = self.share(of: evaluatorBudget, numerator: entry.1, denominator: totalWeight)
            self.pay(reward, to: scores.evaluator, of: task, in: &state)
            paid += reward
            return EvaluatorPayout(evaluator: scores.evaluator, agreementBasisPoints: entry.0, reward: reward)
        }
        task.escrow -= paid
        task.totalRewarded &+= paid
        state.setTask(task)
    }

    /// Pays `amount` out of the task's escrow to a member.
    private static func pay(_ amount: Amount, to address: Address, of task: TrainingTask, in state: inout LedgerState) {
        guard amount > 0 else { return }
        // Escrowed tokens are part of the supply, so crediting them cannot overflow.
        try? self.credit(amount, to: address, in: &state)
        if var member = state.taskMembers[task.id]?[address] {
            member.earned &+= amount
            state.setTaskMember(member, taskID: task.id, address: address)
        }
    }

    /// Burns the task's slash share of a harmful contributor's stake and returns the amount.
    private static func slash(_ address: Address, of task: inout TrainingTask, in state: inout LedgerState) -> Amount {
        guard var member = state.taskMembers[task.id]?[address] else { return 0 }
        let amount = self.share(of: member.stake, numerator: Amount(task.spec.slashBasisPoints), denominator: 10_000)
        member.stake -= amount
        member.slashed &+= amount
        state.setTaskMember(member, taskID: task.id, address: address)
        state.globals.totalSupply -= amount
        task.totalSlashed &+= amount
        return amount
    }

    /// The model version that more than 2/3 of evaluator stake attested, if any.
    private static func agreedVersion(
        of round: TrainingRound, task: TrainingTask, in state: LedgerState, context: BlockContext
    ) -> ModelVersion? {
        let evaluators = self.evaluators(of: task, in: state)
        let stakes = Dictionary(uniqueKeysWithValues: evaluators.map { ($0.address, $0.stake) })
        let total = evaluators.reduce(Amount(0)) { $0 &+ $1.stake }
        let byModel = Dictionary(grouping: round.attestations, by: \.model)
        for model in byModel.keys.sorted() {
            let attesters = byModel[model] ?? []
            let attested = attesters.reduce(Amount(0)) { $0 &+ (stakes[$1.evaluator] ?? 0) }
            guard attested.multipliedFullWidth(by: 3) > total.multipliedFullWidth(by: 2) else { continue }
            let metric = RoundSettlement.weightedMedian(
                attesters.map { (score: Int64($0.metricBasisPoints), weight: stakes[$0.evaluator] ?? 0) })
            return ModelVersion(
                taskID: task.id, version: task.version + 1, round: round.number, model: model, parent: task.model,
                height: context.height, contributors: round.acceptedUpdates.map(\.contributor),
                metricBasisPoints: UInt16(metric), attestedStake: attested, evaluatorStake: total)
        }
        return nil
    }

    // MARK: - Members

    /// Active trainers whose stake is at least the task's minimum, sorted by address.
    static func eligibleTrainers(of task: TrainingTask, in state: LedgerState) -> [Address] {
        (state.taskMembers[task.id] ?? [:])
            .filter { $0.value.active && $0.value.role == .trainer && $0.value.stake >= task.spec.minimumStake }
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
