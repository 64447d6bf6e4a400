// The privacy ledger: a task's DP budget per owner, charged on the chain, and refused when spent.

import DeAICore
import DeAITesting
import Federation
import Ledger
import Testing

@Suite("Privacy ledger")
struct PrivacyLedgerTests {
    /// DP-SGD at q = 0.25, 8 steps a round, with the least noise that lets an owner publish `rounds` rounds
    /// within ε = 2, δ = 10⁻⁵.
    static func terms(rounds: Int) throws -> PrivacyTerms {
        try PrivacyTerms.fitting(epsilon: 2, delta: 1e-5, samplingRate: 0.25, clippingNorm: 1, stepsPerRound: 8, rounds: rounds)
    }

    @Test("the chain's integer ε is the accountant's, rounded up, and the fitted noise affords exactly the rounds asked for")
    func integerAccountingMatchesTheAccountant() throws {
        let terms = try Self.terms(rounds: 3)
        #expect(terms.accountingProblem() == nil)
        #expect(terms.affordableRounds(limit: 100) == 3)
        var spent: [UInt64] = []
        for round in 1...3 {
            spent = terms.charging(spent)
            let exact = try RDPAccountant.epsilon(
                samplingRate: terms.samplingRate, noiseMultiplier: terms.noiseMultiplier, steps: 8 * round, delta: 1e-5)
            let chain = Double(terms.epsilonMillionths(spent: spent)) / 1e6
            #expect(chain >= exact && chain - exact < 1e-5, "round \(round): chain ε \(chain), accountant \(exact)")
        }
        #expect(terms.epsilonMillionths(spent: spent) <= terms.epsilonMillionths)
        #expect(terms.epsilonMillionths(spent: []) == 0)
    }

    @Test("a declared accounting that counts less than the mechanism spends is found by anyone who recomputes it")
    func understatedAccountingIsFound() throws {
        var terms = try Self.terms(rounds: 3)
        terms.roundRDP[40] /= 2
        let problem = try #require(terms.accountingProblem())
        #expect(problem.contains("order 5.1"), "\(problem)")
        var weaker = try Self.terms(rounds: 3)
        weaker.noiseMultiplierMillionths /= 2
        #expect(weaker.accountingProblem() != nil)
    }

    @Test("a task whose mechanism one round already takes over budget, or with q out of range, fails at posting with the ε it would cost")
    func unboundableTermsAreRefused() throws {
        var ledger = try TestLedger()
        let before = ledger.balance(1)
        var spec = TrainingFixtures.spec()
        spec.privacy = try PrivacyTerms(
            clippingNorm: 1, noiseMultiplier: 0.5, samplingRate: 0.25, stepsPerRound: 8, epsilon: 2, delta: 1e-5)
        var outOfRange = TrainingFixtures.spec()
        outOfRange.privacy = try Self.terms(rounds: 2)
        outOfRange.privacy?.samplingRateMillionths = 1_500_000
        let receipts = try ledger.block([
            ChainFixtures.signed(.createTask(spec), from: 1, nonce: 0),
            ChainFixtures.signed(.createTask(outOfRange), from: 1, nonce: 1),
        ]).receipts
        let cost = try RDPAccountant.epsilon(samplingRate: 0.25, noiseMultiplier: 0.5, steps: 8, delta: 1e-5)
        #expect(receipts[0].code == LedgerError.invalidTask(reason: "").code)
        let quoted = receipts[0].message.split(separator: "spends ε = ").last?.split(separator: " ").first
        let charged = try #require(quoted.flatMap { Double($0) }, "\(receipts[0].message)")
        #expect(charged >= cost && charged - cost < 1e-5, "the chain says ε \(charged), the accountant \(cost)")
        #expect(receipts[0].message.contains("more than the budget ε = 2"))
        #expect(receipts[1].code == LedgerError.invalidTask(reason: "").code)
        #expect(receipts[1].message.contains("sampling rate"), "\(receipts[1].message)")
        #expect(ledger.state.tasks.isEmpty)
        #expect(ledger.balance(1) == before - 2)
    }

    @Test("every revealed update is charged to its owner; an owner whose budget is spent is not selected and its update is refused")
    func overBudgetUpdatesAreRefused() throws {
        let terms = try Self.terms(rounds: 1)
        var spec = TrainingFixtures.spec(rounds: 3, minimumEvaluators: 3)
        spec.privacy = terms
        var setup = try TaskLedger(spec: spec)
        try setup.ledger.emptyBlocks(1)
        let first = setup.round.selected
        try setup.submitAllUpdates()
        for update in setup.round.updates {
            let member = setup.member(TaskLedger.index(of: update.contributor))
            #expect(member.privacySpent == terms.roundRDP)
            #expect(update.epsilonMillionths == terms.epsilonMillionths(spent: terms.roundRDP))
            #expect(update.epsilonMillionths! <= terms.epsilonMillionths)
        }
        // Excluded updates spent their owners' privacy all the same: what was revealed cannot be taken back.
        try setup.scoreAll { _ in UpdateAssessment(score: 0, harm: 0, harmError: 0, excluded: true) }
        #expect(setup.task.round == 2)

        let fresh = TaskLedger.trainers.map(ChainFixtures.address).filter { !first.contains($0) }
        #expect(setup.round.selected == fresh)
        let spent = TaskLedger.index(of: first[0])
        let blob = TaskLedger.blob(of: first[0], round: 2)
        let refused = try setup.send(
            .commitUpdate(taskID: 1, round: 2, commitment: setup.updateCommitment(spent, blob: blob)), from: spent)[0]
        let exhausted = LedgerError.privacyBudgetExhausted(
            taskID: 1, member: first[0], spentMillionths: terms.epsilonMillionths(spent: terms.roundRDP),
            budgetMillionths: terms.epsilonMillionths)
        #expect(refused.code == exhausted.code)
        #expect(refused.message == exhausted.description)
        #expect(setup.member(spent).privacySpent == terms.roundRDP)
    }

    @Test("hostile accounting figures are refused at posting, and recomputing them never hangs or traps")
    func hostileFiguresAreRefused() throws {
        var huge = try Self.terms(rounds: 2)
        huge.orderTenths[huge.orderTenths.count - 1] = UInt16.max
        var extreme = try Self.terms(rounds: 2)
        extreme.conversion[0] = Int64.min
        for terms in [huge, extreme] {
            #expect(throws: LedgerError.self) { try terms.validate() }
            #expect(terms.accountingProblem() != nil)
        }
        #expect(throws: PrivacyError.self) {
            try PrivacyTerms(clippingNorm: 1e14, noiseMultiplier: 1, samplingRate: 0.1, stepsPerRound: 1, epsilon: 1, delta: 1e-5)
        }
    }

    @Test("an owner that leaves and joins again keeps what it spent, and stays out of selection")
    func rejoiningKeepsTheSpend() throws {
        var spec = TrainingFixtures.spec(rounds: 3, participantsPerRound: 1, minimumEvaluators: 3)
        spec.privacy = try Self.terms(rounds: 1)
        var setup = try TaskLedger(spec: spec)
        try setup.ledger.emptyBlocks(1)
        let owner = TaskLedger.index(of: setup.round.selected[0])
        try setup.submitAllUpdates()
        try setup.scoreAll { _ in UpdateAssessment(score: 0, harm: 0, harmError: 0, excluded: true) }
        #expect(setup.task.round == 2)
        #expect(!setup.round.selected.contains(ChainFixtures.address(owner)))
        try setup.expectSuccess(setup.send(.leaveTask(taskID: 1), from: owner))
        try setup.expectSuccess(
            setup.send(.joinTask(taskID: 1, role: .trainer, stake: 200, dataCommitment: nil), from: owner))
        #expect(setup.member(owner).active)
        #expect(setup.member(owner).privacySpent == spec.privacy!.roundRDP)
        try setup.submitAllUpdates()
        try setup.scoreAll { _ in UpdateAssessment(score: 0, harm: 0, harmError: 0, excluded: true) }
        #expect(setup.task.round == 3)
        #expect(!setup.round.selected.contains(ChainFixtures.address(owner)))
    }

    @Test("privacy terms and an owner's cumulative RDP survive the canonical encoding")
    func encodingRoundTrip() throws {
        var spec = TrainingFixtures.spec()
        spec.privacy = try Self.terms(rounds: 2)
        #expect(try TaskSpec(canonicalEncoding: spec.canonicalEncoding) == spec)
        let member = TaskMember(role: .trainer, stake: 5, joinedHeight: 2, privacySpent: spec.privacy!.roundRDP)
        #expect(try TaskMember(canonicalEncoding: member.canonicalEncoding) == member)
    }
}
