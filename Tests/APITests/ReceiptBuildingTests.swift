// APITests: receipts built from hand-made round records, for the outcomes a short chain run does not reach.

import APITypes
import DeAICore
import DeAITesting
import Ledger
import Testing

@Suite("RoundReceiptView from round records")
struct ReceiptBuildingTests {
    private static let task = TrainingTask(
        id: 1, sponsor: TestKeys.signingKey(1).verifyingKey.address, spec: TrainingFixtures.spec(), createdHeight: 1)
    private static let trainers = (3...6).map { TestKeys.signingKey($0).verifyingKey.address }.sorted()
    private static let evaluator = TestKeys.signingKey(7).verifyingKey.address

    /// A round of ``task`` where trainers 0–3 committed; 0 and 1 revealed, 2 revealed a copy, 3 never revealed;
    /// one evaluator judged 0 excluded and gave 1 a negative score (left out: negative), and the round ended `result`.
    private static func round(result: RoundResult, improvement: Int64 = 0) -> TrainingRound {
        var round = TrainingRound(
            taskID: 1, number: 1, openedHeight: 2, baseModel: Self.task.model, baseVersion: 0, selected: Self.trainers)
        let hash = { (address: Address) in SHA256Digest(hashing: Array(address.description.utf8)) }
        round.updateCommitments = Self.trainers.map { Commitment(member: $0, hash: hash($0)) }
        round.updates = Self.trainers.prefix(2).map {
            UpdateSubmission(contributor: $0, blob: hash($0), sampleCount: 7, height: 3)
        }
        round.copies = [Self.trainers[2]]
        round.forfeited = [Self.trainers[3]]
        round.scoreCommitments = [Commitment(member: Self.evaluator, hash: SHA256Digest(hashing: [7]))]
        round.scores = [
            EvaluatorScores(
                evaluator: Self.evaluator,
                assessments: [
                    UpdateAssessment(score: 0, harm: 10, harmError: 20, excluded: true),
                    UpdateAssessment(score: -40, harm: -5, harmError: 1, excluded: false),
                ])
        ]
        round.weights = [300]
        round.verdicts = [
            UpdateVerdict(
                consensusScore: 0, evidence: -50, excluded: true, harmful: false, accepted: false, reward: 0,
                slashed: 0),
            UpdateVerdict(
                consensusScore: -40, evidence: -8, excluded: false, harmful: false, accepted: false, reward: 0,
                slashed: 0),
        ]
        round.budget = 5_000
        round.improvement = improvement
        round.result = result
        return round
    }

    private static func receipt(_ address: Address, in round: TrainingRound) throws -> RoundReceiptView {
        try #require(
            RoundReceiptView(address: address, round: round, task: Self.task, member: nil, state: LedgerState(chainID: "deai-test"), height: 9,
                proof: nil))
    }

    @Test("a copy, a forfeit and an exclusion each say why they earn nothing")
    func unpaidContributors() throws {
        let round = Self.round(result: .newVersion, improvement: 60_000)
        let excluded = try #require(try Self.receipt(Self.trainers[0], in: round).contributor)
        #expect(excluded.verdict == "excluded" && excluded.assessments.first?.evidence == -50)
        #expect(excluded.formula == "reward = 0: evaluators holding more than half of the weight excluded it")

        let copy = try #require(try Self.receipt(Self.trainers[2], in: round).contributor)
        #expect(copy.copy && copy.revealed && copy.update == nil && copy.verdict == nil)
        #expect(copy.formula == "reward = 0: the revealed update repeats one already revealed in the task")

        let forfeited = try #require(try Self.receipt(Self.trainers[3], in: round).contributor)
        #expect(forfeited.forfeited && !forfeited.revealed && forfeited.commitment != nil)
        #expect(
            forfeited.formula == "reward = 0: committed, but did not reveal in time; forfeited the reveal deposit 10")
    }

    @Test("an improvement worth more than the budget earns the budget; a score at or below 0 earns nothing")
    func fullBudget() throws {
        let receipt = try Self.receipt(Self.trainers[1], in: Self.round(result: .newVersion, improvement: 60_000))
        #expect(receipt.pay.earned == 5_000 && receipt.pay.contributorsPart == 4_000 && receipt.pay.positiveScores == 0)
        let formula = "earned = min(budget 5000, pool 10000 × improvement 60000 / (rounds 2 × 50000)) = 5000"
        #expect(receipt.pay.formula == formula)
        #expect(receipt.contributor?.verdict == "negative")
        #expect(receipt.contributor?.formula.hasSuffix(
            "reward = 0: the consensus score -40 is not positive, and the contributor's earlier scores do not cover it: "
                + "the update was left out of the aggregate") == true)
    }

    @Test("a round that made no new version pays nobody, and its receipts say how it ended", arguments: [
        (RoundResult.regression, Int64(-5_000), "worse than its parent by 5000 ± 0 micro-nats"),
        (.noQuorum, 0, "more than 2/3 of the evaluators' weight"),
        (.tooFewAccepted, 0, "fewer than 1 updates were accepted"),
    ])
    func unpaidRound(_ result: RoundResult, _ improvement: Int64, _ reason: String) throws {
        let round = Self.round(result: result, improvement: improvement)
        let receipt = try Self.receipt(Self.trainers[1], in: round)
        #expect(receipt.pay.earned == 0 && receipt.pay.contributorsPart == 0)
        #expect(receipt.pay.formula.contains(reason), "\(receipt.pay.formula)")
        #expect(receipt.contributor?.formula.hasPrefix("reward = 0: the round ended \(result.rawValue)") == true)
        let evaluator = try #require(try Self.receipt(Self.evaluator, in: round).evaluator)
        #expect(evaluator.weight == 300 && evaluator.agreementBasisPoints == nil && evaluator.attestedResult == nil)
        #expect(evaluator.formula.contains(reason))
    }

    @Test("an address that neither trained nor evaluated in the round has no receipt")
    func noPart() {
        let stranger = TestKeys.signingKey(9).verifyingKey.address
        let round = Self.round(result: .noQuorum)
        let receipt = RoundReceiptView(
            address: stranger, round: round, task: Self.task, member: nil, state: LedgerState(chainID: "deai-test"), height: 9,
                proof: nil)
        #expect(receipt == nil)
    }
}
