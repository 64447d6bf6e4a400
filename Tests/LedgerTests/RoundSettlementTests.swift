// Judging and paying rounds: harm only on evidence, capped evaluator weights, pay in proportion to improvement.

import DeAICore
import DeAITesting
import Ledger
import Testing

@Suite("Round settlement")
struct RoundSettlementTests {
    @Test("stake-weighted median follows the stake, not the head count")
    func weightedMedian() {
        #expect(RoundSettlement.weightedMedian([(score: 5, weight: 1)]) == 5)
        #expect(RoundSettlement.weightedMedian([(score: -9, weight: 1), (score: 4, weight: 1), (score: 7, weight: 1)]) == 4)
        #expect(RoundSettlement.weightedMedian([(score: -9, weight: 10), (score: 4, weight: 1), (score: 7, weight: 1)]) == -9)
        #expect(RoundSettlement.weightedMedian([(score: 3, weight: 0), (score: 1, weight: 0)]) == 1)
    }

    @Test("no evaluator's weight reaches half of the panel's", arguments: [
        [3_000, 2_000, 1_000], [10_000, 1, 1], [500, 500, 500, 5_000], [7, 3],
    ] as [[Amount]])
    func cappedWeights(stakes: [Amount]) {
        let weights = RoundSettlement.cappedWeights(stakes)
        let total = weights.reduce(0, +)
        if stakes.count >= 3 {
            #expect(weights.allSatisfy { $0 * 2 < total })
        } else {
            #expect(weights.allSatisfy { $0 * 2 <= total })
        }
        #expect(zip(weights, stakes).allSatisfy { $0 <= $1 && $0 > 0 })
    }

    @Test("a large evaluator alone can neither slash nor pay: it needs another evaluator on its side")
    func noEvaluatorDecidesAlone() throws {
        // Stakes 3,000 : 200 : 100. Uncapped, the first would be the median of every figure.
        var setup = try TaskLedger.withUpdates(evaluatorStakes: [3_000, 200, 100])
        let victim = setup.round.updates[0].contributor
        try setup.scoreAll { evaluator, contributor in
            evaluator == 6 && contributor == victim
                ? UpdateAssessment(score: 900_000, harm: 900_000, harmError: 0, excluded: false) : useful(2_000)
        }
        #expect(setup.round.weights == [299, 200, 100])
        #expect(setup.round.verdicts[0].harmful == false)
        #expect(setup.round.verdicts[0].consensusScore == 2_000)
        #expect(setup.member(TaskLedger.index(of: victim)).slashed == 0)
    }

    @Test("harmful exactly when the evidence exceeds the tolerance, and then always slashed")
    func evidenceBoundary() throws {
        var spec = TrainingFixtures.spec(minimumEvaluators: 3, harmTolerance: 1_000)
        spec.harmConfidenceHundredths = 200
        var setup = try TaskLedger.withUpdates(spec: spec)
        let contributors = setup.round.updates.map(\.contributor)
        // Evidence = harm − 2 × error: 1,000 (at the tolerance), 1,001 (above it), and a large harm within noise
        // (kept: a score of 0 is not negative).
        let assessments: [Address: UpdateAssessment] = [
            contributors[0]: UpdateAssessment(score: 0, harm: 3_000, harmError: 1_000, excluded: true),
            contributors[1]: UpdateAssessment(score: 0, harm: 3_001, harmError: 1_000, excluded: false),
            contributors[2]: UpdateAssessment(score: 0, harm: 40_000, harmError: 30_000, excluded: false),
        ]
        try setup.scoreAll { assessments[$0]! }
        let verdicts = setup.round.verdicts
        #expect(verdicts.map(\.evidence) == [1_000, 1_001, -20_000])
        #expect(verdicts.map(\.harmful) == [false, true, false])
        #expect(verdicts.map(\.excluded) == [true, false, false])
        #expect(verdicts.map(\.accepted) == [false, false, true])
        #expect(verdicts.map { $0.slashed > 0 } == verdicts.map(\.harmful))
        #expect(setup.member(TaskLedger.index(of: contributors[1])).stake == 100)
        #expect(setup.member(TaskLedger.index(of: contributors[0])).slashed == 0)
        #expect(setup.supplyAddsUp)
    }

    @Test("a negative update is kept while the contributor's earlier scores cover it, and left out once they do not")
    func negativeCredit() throws {
        var setup = try TaskLedger.withUpdates(
            spec: TrainingFixtures.spec(minimumEvaluators: 3, fullRewardImprovement: 50_000))
        try setup.scoreAll(byPosition: [3_000, 1_000, -500])
        #expect(setup.round(1).verdicts.map(\.accepted) == [true, true, false])
        let next = SHA256Digest(hashing: Array("aggregate".utf8))
        try setup.attest([next, next, next])
        #expect(setup.task.round == 2)

        try setup.submitAllUpdates()
        // Totals before round 2: 3,000, 1,000 and −500. −3,000 is covered; −1,001 is not; −1 after −500 is not.
        let contributors = setup.round(1).updates.map(\.contributor)
        let second: [Address: Int64] = [contributors[0]: -3_000, contributors[1]: -1_001, contributors[2]: -1]
        try setup.scoreAll { useful(second[$0]!) }
        let verdicts = setup.round(2).verdicts
        #expect(verdicts.map(\.accepted) == [true, false, false])
        #expect(verdicts.allSatisfy { !$0.harmful && !$0.excluded && $0.slashed == 0 && $0.reward == 0 })
        #expect(setup.supplyAddsUp)
    }

    @Test("too few valued updates: the best left-out ones are taken back, unpaid, up to the task's minimum")
    func negativeTakenBack() throws {
        var setup = try TaskLedger.withUpdates(spec: TrainingFixtures.spec(minimumEvaluators: 3, minimumAccepted: 2))
        // Only the first is worth something; of the two negative ones the less negative is taken back.
        try setup.scoreAll(byPosition: [2_000, -700, -300])
        #expect(setup.task.phase == .attesting)
        #expect(setup.round(1).verdicts.map(\.accepted) == [true, false, true])
        let next = SHA256Digest(hashing: Array("aggregate".utf8))
        try setup.attest([next, next, next])
        let round = setup.round(1)
        #expect(round.result == .newVersion)
        #expect(round.verdicts[0].reward > 0 && round.verdicts[1].reward == 0 && round.verdicts[2].reward == 0)
        #expect(setup.supplyAddsUp)
    }

    @Test("a round earns its budget in proportion to the improvement; the rest carries over to later rounds")
    func payForImprovement() throws {
        var setup = try TaskLedger.withUpdates(
            spec: TrainingFixtures.spec(minimumEvaluators: 3, fullRewardImprovement: 50_000))
        try setup.scoreAll(byPosition: [3_000, 1_000, -500])
        #expect(setup.task.phase == .attesting)
        let next = SHA256Digest(hashing: Array("aggregate".utf8))
        try setup.attest([next, next, next], improvements: [10_000, 20_000, 30_000])
        let contributors = setup.round(1).updates.map(\.contributor)

        let round = setup.round(1)
        #expect(round.result == .newVersion)
        // Rate 10,000 / (2 rounds × 50,000) = 0.1 per micro-nat; the weighted lower median improvement 20,000 earns
        // 2,000 (under the budget of 10,000 / 2 rounds = 5,000):
        // evaluators 20% (400), contributors 1,600 split 3:1 (the negative score is neither accepted nor paid).
        #expect(round.improvement == 20_000)
        #expect(round.budget == 5_000)
        #expect(round.verdicts.map(\.accepted) == [true, true, false])
        #expect(round.verdicts.map(\.reward) == [1_200, 400, 0])
        #expect(round.verdicts.allSatisfy { !$0.harmful && !$0.excluded && $0.slashed == 0 })
        // Weights 299 : 200 : 100 (the largest capped below half), everyone in full agreement.
        #expect(round.evaluatorPayouts.map(\.reward) == [199, 133, 66])
        #expect(round.earned == 1_998)
        #expect(setup.task.escrow == 10_000 - 1_998)
        let version = try #require(setup.ledger.state.modelVersions[1]?[1])
        #expect(version.model == next && version.contributors == Array(contributors.prefix(2)))
        #expect(setup.task.round == 2 && setup.task.phase == .commitUpdates)
        // Server momentum may carry round 1's step into round 2: the round names the base model's parent.
        #expect(setup.round.baseModel == next && setup.round.baseParent == TrainingFixtures.spec().initialModel)
        #expect(setup.supplyAddsUp)
    }

    @Test("every micro-nat earns the same, up to the round's budget; no improvement earns nothing", arguments: [
        (budget: 5_000, improvement: 20_000, earned: 2_000), (budget: 9_000, improvement: 20_000, earned: 2_000),
        (budget: 5_000, improvement: 80_000, earned: 5_000), (budget: 5_000, improvement: 0, earned: 0),
        (budget: 5_000, improvement: -7, earned: 0), (budget: 0, improvement: 1_000, earned: 0),
    ] as [(budget: Amount, improvement: Int64, earned: Amount)])
    func earnedAtFixedRate(budget: Amount, improvement: Int64, earned: Amount) {
        let paid = RoundSettlement.earned(
            budget: budget, improvement: improvement, rewardPool: 10_000, rounds: 2, fullRewardImprovement: 50_000)
        #expect(paid == earned)
    }

    @Test("a regression beyond the tolerance leaves the parent in place and pays nothing")
    func regressionCarriesOver() throws {
        var setup = try TaskLedger.withUpdates()
        try setup.scoreAll { _ in useful(2_000) }
        // With the default regression confidence 0, a measured −4,000 is a regression however noisy.
        try setup.attest(Array(repeating: SHA256Digest(hashing: [3]), count: 3), improvements: [-5_000, -4_000, 9_000],
                         errors: [9_000, 9_000, 9_000])
        let round = setup.round(1)
        #expect(round.result == .regression)
        #expect(round.improvement == -4_000)
        #expect(round.earned == 0 && round.verdicts.allSatisfy { $0.reward == 0 })
        #expect(setup.task.version == 0 && setup.task.model == TrainingFixtures.spec().initialModel)
        #expect(setup.task.escrow == 10_000)
        #expect(setup.round.baseParent == nil)
    }

    @Test("with a regression confidence, a worse loss within its noise is no regression: the model moves on, unpaid",
          arguments: [
              // Three attesters each measure ± 2,310: the panel's error is 2,310 / √3 → 1,334, and with tolerance 0
              // and confidence 3, −4,000 ± 1,334 is within noise (−4,000 + 4,002 ≥ 0). ± 2,309 gives 1,333: a
              // regression.
              (error: 2_310 as Int64, regression: false), (error: 2_309, regression: true),
          ])
    func regressionNeedsEvidence(error: Int64, regression: Bool) throws {
        var setup = try TaskLedger.withUpdates(spec: TrainingFixtures.spec(regressionConfidenceHundredths: 300))
        try setup.scoreAll { _ in useful(2_000) }
        let next = SHA256Digest(hashing: [3])
        try setup.attest([next, next, next], improvements: [-5_000, -4_000, 9_000], errors: [error, error, error])
        let round = setup.round(1)
        #expect(round.improvement == -4_000 && round.improvementError == (regression ? 1_333 : 1_334))
        #expect(round.result == (regression ? .regression : .newVersion))
        #expect(setup.task.version == (regression ? 0 : 1))
        #expect(round.earned == 0 && round.verdicts.allSatisfy { $0.reward == 0 })
        #expect(RoundSettlement.regressed(
            improvement: -4_000, error: round.improvementError, tolerance: 0, confidenceHundredths: 300) == regression)
    }

    @Test("fewer accepted updates than the task's minimum: no version, nothing paid")
    func tooFewAccepted() throws {
        var setup = try TaskLedger.withUpdates(spec: TrainingFixtures.spec(minimumEvaluators: 3, minimumAccepted: 2))
        let kept = setup.round.updates[0].contributor
        try setup.scoreAll { $0 == kept ? useful(5_000) : UpdateAssessment(score: 0, harm: 0, harmError: 0, excluded: true) }
        #expect(setup.round(1).result == .tooFewAccepted)
        #expect(setup.task.round == 2 && setup.task.escrow == 10_000)
    }

    @Test("claimed sample counts change nothing: a trainer claiming 100× gets exactly what the truth gets")
    func claimsWeighNothing() throws {
        func rewards(claiming factor: UInt64) throws -> [Amount] {
            var setup = try TaskLedger()
            try setup.ledger.emptyBlocks(1)
            let liar = setup.round.selected[0]
            try setup.submitAllUpdates { $0 == liar ? 100 * factor : 100 }
            try setup.scoreAll { _ in useful(2_000) }
            try setup.attest(Array(repeating: SHA256Digest(hashing: [3]), count: 3))
            return setup.round(1).verdicts.map(\.reward)
        }
        #expect(try rewards(claiming: 100) == rewards(claiming: 1))
    }

    @Test("attestations split below 2/3 of the panel's weight leave the model as it was")
    func noQuorum() throws {
        var setup = try TaskLedger.withUpdates(evaluatorStakes: [200, 200, 200])
        try setup.scoreAll { _ in useful(2_000) }
        try setup.attest([SHA256Digest(hashing: [1]), SHA256Digest(hashing: [1]), SHA256Digest(hashing: [2])])
        try setup.ledger.emptyBlocks(5)
        #expect(setup.round(1).result == .noQuorum)
        #expect(setup.task.version == 0)
    }

    @Test("an evaluator that does not reveal forfeits its deposit and is out of the panel")
    func evaluatorWithholds() throws {
        var setup = try TaskLedger.withUpdates(spec: TrainingFixtures.spec(phaseBlocks: 3, minimumEvaluators: 2))
        let round = setup.round
        let assessments = round.updates.map { _ in useful(1_000) }
        try setup.sendAll(
            TaskLedger.evaluators.map { evaluator in
                let commitment = RoundCommitment.scores(
                    taskID: 1, round: 1, evaluator: ChainFixtures.address(evaluator), assessments: assessments,
                    salt: TaskLedger.salt(evaluator, round: 1, "scores"))
                return (.commitScores(taskID: 1, round: 1, commitment: commitment), evaluator)
            })
        try setup.sendAll(
            TaskLedger.evaluators.dropLast().map { evaluator in
                (.revealScores(taskID: 1, round: 1, assessments: assessments, salt: TaskLedger.salt(evaluator, round: 1, "scores")), evaluator)
            })
        try setup.ledger.emptyBlocks(3)
        #expect(setup.task.phase == .attesting)
        #expect(setup.round.forfeited == [ChainFixtures.address(8)])
        #expect(setup.member(8).stake == 100 - 10)
        let late = try setup.send(
            .attestModel(taskID: 1, round: 1, model: SHA256Digest(hashing: [1]), metricBasisPoints: 1, improvement: 1,
                         improvementError: 0), from: 8)
        #expect(late[0].code == LedgerError.invalidSubmission(reason: "").code)
    }
}
