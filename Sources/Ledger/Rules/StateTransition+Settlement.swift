// Judging a round's updates from the evaluators' revealed assessments, and paying the round for its improvement.

import DeAICore

extension StateTransition {
    /// The evaluators that revealed scores in `round` and their weights in its medians (``TrainingRound/weights``),
    /// in the order of `round.scores`.
    static func panel(of round: TrainingRound) -> [(address: Address, weight: Amount)] {
        zip(round.scores, round.weights).map { (address: $0.0.evaluator, weight: $0.1) }
    }

    /// Closes the reveal of scores: records the panel's weights; each update's consensus score, evidence of harm and exclusion are the
    /// weighted lower medians of the panel's figures; an update whose evidence exceeds the task's tolerance is
    /// harmful and its contributor slashed; an update neither harmful nor excluded is accepted into the aggregate
    /// unless its consensus score is negative and larger in size than the contributor's scores over the task's
    /// earlier rounds (``RoundSettlement/scoreTotals(before:in:)``): a contributor's net measured value stays at
    /// or above zero. Such an update stays out of the model, unpaid and unslashed: on non-IID data a poisoned
    /// update's harm can hide inside the honest updates' spread, but its value is negative, round after round. An
    /// honest non-IID update can be worth less than nothing in one round and still anchor its owner's labels; its
    /// earlier value keeps it in (measured on non-IID digits with no attacker: leaving out every negative update
    /// dropped 7 of 20 seeded runs by 5–10 points in a round; with the credit, no round dropped more than 4.7). A
    /// score of exactly 0 is kept: late in training, Monte Carlo truncation gives every update 0.
    ///
    /// When that leaves fewer than the task's minimum accepted, the left-out updates are taken back, highest
    /// consensus score first (ties: the earlier update), until the minimum is met: they stay unpaid, and the
    /// attesters' regression check still keeps the parent if the aggregate is worse. Without this a non-IID task
    /// whose model every owner but a few pulls the wrong way would end every later round `too_few_accepted` on the
    /// same model, for good (measured: digits, label shards, three Sybil identities on one shard).
    static func judge(_ round: inout TrainingRound, task: inout TrainingTask, in state: inout LedgerState) {
        let spec = task.spec
        let members = state.taskMembers[task.id] ?? [:]
        round.weights = RoundSettlement.cappedWeights(round.scores.map { members[$0.evaluator]?.stake ?? 0 })
        let weights = round.weights
        let judgements = round.updates.indices.map { index in
            RoundSettlement.judge(
                round.scores.map { $0.assessments[index] }, weights: weights, harmTolerance: spec.harmTolerance,
                confidenceHundredths: spec.harmConfidenceHundredths)
        }
        let history = RoundSettlement.scoreTotals(before: round.number, in: state.rounds[task.id] ?? [:])
        round.verdicts = zip(round.updates, judgements).map { update, judged in
            let valued = judged.score >= 0 || judged.score + (history[update.contributor] ?? 0) >= 0
            let slashed = judged.harmful ? self.slash(update.contributor, share: spec.slashBasisPoints, of: &task, in: &state) : 0
            return UpdateVerdict(
                consensusScore: judged.score, evidence: judged.evidence, excluded: judged.excluded,
                harmful: judged.harmful, accepted: !judged.harmful && !judged.excluded && valued,
                reward: 0, slashed: slashed)
        }
        let shortfall = Int(spec.minimumAccepted) - round.verdicts.filter(\.accepted).count
        if shortfall > 0 {
            let leftOut = round.verdicts.indices.filter { index in
                let verdict = round.verdicts[index]
                return !verdict.accepted && !verdict.harmful && !verdict.excluded
            }
            let takenBack = leftOut.sorted { first, second in
                let (a, b) = (round.verdicts[first].consensusScore, round.verdicts[second].consensusScore)
                return a != b ? a > b : first < second
            }.prefix(shortfall)
            for index in takenBack { round.verdicts[index].accepted = true }
        }
        state.setTask(task)
    }

    /// Members that committed and did not reveal: each forfeits the task's reveal deposit from its stake (burned).
    static func forfeit(_ members: [Address], in round: inout TrainingRound, task: inout TrainingTask, state: inout LedgerState) {
        for address in members.sorted() {
            guard var member = state.taskMembers[task.id]?[address] else { continue }
            let amount = min(task.spec.revealDeposit, member.stake)
            member.stake -= amount
            member.slashed &+= amount
            state.setTaskMember(member, taskID: task.id, address: address)
            state.globals.totalSupply -= amount
            task.totalSlashed &+= amount
            round.forfeited.insertSorted(address, by: \.self)
        }
        state.setTask(task)
    }

    /// The most round `task.round` may pay: the escrow divided by the rounds left, this one included.
    static func roundBudget(of task: TrainingTask) -> Amount {
        task.escrow / Amount(max(task.spec.rounds - task.round + 1, 1))
    }

    /// Pays a round whose model `agreed` became the next version: it earns in proportion to its improvement, up
    /// to its budget (``RoundSettlement/earned(budget:improvement:rewardPool:rounds:fullRewardImprovement:)``);
    /// contributors share
    /// their part by positive consensus score, evaluators theirs by weight times agreement. What is not earned,
    /// or has nobody to go to, stays in escrow for later rounds.
    static func pay(_ round: inout TrainingRound, agreed model: SHA256Digest, task: inout TrainingTask, in state: inout LedgerState) {
        let spec = task.spec
        round.budget = self.roundBudget(of: task)
        let earned = RoundSettlement.earned(
            budget: round.budget, improvement: round.improvement, rewardPool: spec.rewardPool, rounds: spec.rounds,
            fullRewardImprovement: spec.fullRewardImprovement)
        let evaluatorBudget = self.share(of: earned, numerator: Amount(spec.evaluatorShareBasisPoints), denominator: 10_000)
        let contributorBudget = earned - evaluatorBudget

        let positive = round.verdicts.map { $0.accepted && $0.consensusScore > 0 ? Amount($0.consensusScore) : 0 }
        let totalPositive = positive.reduce(0, &+)
        var paid: Amount = 0
        for index in round.verdicts.indices {
            let reward = self.share(of: contributorBudget, numerator: positive[index], denominator: totalPositive)
            round.verdicts[index].reward = reward
            self.payMember(reward, to: round.updates[index].contributor, of: task, in: &state)
            paid += reward
        }

        let panel = self.panel(of: round)
        func acceptable(_ improvement: Int64, _ error: Int64) -> Bool {
            !RoundSettlement.regressed(
                improvement: improvement, error: error, tolerance: spec.regressionTolerance,
                confidenceHundredths: spec.regressionConfidenceHundredths)
        }
        let modelAcceptable = acceptable(round.improvement, round.improvementError)
        let agreements = zip(round.scores, panel).map { scores, member in
            let attestation = round.attestations.first { $0.evaluator == member.address }
            let attestedAgreed = attestation.map {
                $0.model == model && acceptable($0.improvement, $0.improvementError) == modelAcceptable
            } ?? false
            return RoundSettlement.agreementBasisPoints(
                scores.assessments, verdicts: round.verdicts, attestedAgreedModel: attestedAgreed,
                harmTolerance: spec.harmTolerance, confidenceHundredths: spec.harmConfidenceHundredths)
        }
        let shares = zip(panel, agreements).map { self.share(of: $0.0.weight, numerator: Amount($0.1), denominator: 10_000) }
        let totalShares = shares.reduce(0, &+)
        round.evaluatorPayouts = panel.indices.map { index in
            let reward = self.share(of: evaluatorBudget, numerator: shares[index], denominator: totalShares)
            self.payMember(reward, to: panel[index].address, of: task, in: &state)
            paid += reward
            return EvaluatorPayout(
                evaluator: panel[index].address, weight: panel[index].weight, agreementBasisPoints: agreements[index],
                reward: reward)
        }
        round.earned = paid
        task.escrow -= paid
        task.totalRewarded &+= paid
        state.setTask(task)
    }

    /// The model that attesters holding more than 2/3 of the panel's weight agree on, with the weighted lower
    /// median of their improvements and accuracies, if any.
    static func agreedModel(of round: TrainingRound) -> AgreedModel? {
        let panel = self.panel(of: round)
        let weights = Dictionary(uniqueKeysWithValues: panel.map { ($0.address, $0.weight) })
        let total = panel.reduce(Amount(0)) { $0 &+ $1.weight }
        let byModel = Dictionary(grouping: round.attestations.filter { weights[$0.evaluator] != nil }, by: \.model)
        for model in byModel.keys.sorted() {
            let attesters = byModel[model] ?? []
            let attested = attesters.reduce(Amount(0)) { $0 &+ (weights[$1.evaluator] ?? 0) }
            guard attested.multipliedFullWidth(by: 3) > total.multipliedFullWidth(by: 2) else { continue }
            let improvement = RoundSettlement.weightedMedian(
                attesters.map { (score: $0.improvement, weight: weights[$0.evaluator] ?? 0) })
            let improvementError = RoundSettlement.panelError(
                RoundSettlement.weightedMedian(
                    attesters.map { (score: $0.improvementError, weight: weights[$0.evaluator] ?? 0) }),
                attesters: attesters.count)
            let metric = RoundSettlement.weightedMedian(
                attesters.map { (score: Int64($0.metricBasisPoints), weight: weights[$0.evaluator] ?? 0) })
            return AgreedModel(
                model: model, improvement: improvement, improvementError: improvementError,
                metricBasisPoints: UInt16(metric), weight: attested,
                panelWeight: total)
        }
        return nil
    }

    /// Burns `share` basis points of a harmful contributor's stake and returns the amount.
    private static func slash(_ address: Address, share: UInt16, of task: inout TrainingTask, in state: inout LedgerState) -> Amount {
        guard var member = state.taskMembers[task.id]?[address] else { return 0 }
        let amount = self.share(of: member.stake, numerator: Amount(share), denominator: 10_000)
        member.stake -= amount
        member.slashed &+= amount
        state.setTaskMember(member, taskID: task.id, address: address)
        state.globals.totalSupply -= amount
        task.totalSlashed &+= amount
        return amount
    }

    /// Pays `amount` out of the task's escrow to a member.
    private static func payMember(_ amount: Amount, to address: Address, of task: TrainingTask, in state: inout LedgerState) {
        guard amount > 0 else { return }
        // Escrowed tokens are part of the supply, so crediting them cannot overflow.
        try? self.credit(amount, to: address, in: &state)
        if var member = state.taskMembers[task.id]?[address] {
            member.earned &+= amount
            state.setTaskMember(member, taskID: task.id, address: address)
        }
    }
}

/// The aggregate a round's panel agreed on.
struct AgreedModel {
    /// Its blob hash.
    var model: SHA256Digest
    /// The weighted lower median of its attesters' improvements, in micro-nats.
    var improvement: Int64
    /// The panel's standard error of ``improvement`` (``RoundSettlement/panelError(_:attesters:)``), in micro-nats.
    var improvementError: Int64
    /// The weighted lower median of its attesters' accuracies.
    var metricBasisPoints: UInt16
    /// The weight that attested it.
    var weight: Amount
    /// The whole panel's weight.
    var panelWeight: Amount
}
