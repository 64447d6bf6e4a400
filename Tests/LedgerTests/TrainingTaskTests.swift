// Training tasks on the ledger: enrollment, selection, submissions, settlement, agreement and completion.

import DeAICore
import DeAITesting
import Ledger
import Testing

/// A ledger with one task: account 1 sponsors, accounts 2–5 train, accounts 6 and 7 evaluate.
private struct TaskLedger {
    static let sponsor = 1
    static let trainers = [2, 3, 4, 5]
    static let evaluators = [6, 7]

    var ledger: TestLedger
    var nonces: [Int: UInt64] = [:]
    let taskID: UInt64 = 1

    init(spec: TaskSpec = TrainingFixtures.spec(), evaluatorStakes: [Amount] = [300, 100]) throws {
        self.ledger = try TestLedger()
        try self.expectSuccess(self.send(.createTask(spec), from: Self.sponsor))
        var joins = Self.trainers.map { self.transaction(.joinTask(taskID: 1, role: .trainer, stake: 200), from: $0) }
        for (index, evaluator) in Self.evaluators.enumerated() {
            joins.append(self.transaction(.joinTask(taskID: 1, role: .evaluator, stake: evaluatorStakes[index]), from: evaluator))
        }
        try self.expectSuccess(self.ledger.block(joins).receipts)
    }

    var task: TrainingTask { self.ledger.state.tasks[self.taskID]! }
    var round: TrainingRound { self.ledger.state.rounds[self.taskID]![self.task.round]! }
    func member(_ index: Int) -> TaskMember { self.ledger.state.taskMembers[self.taskID]![ChainFixtures.address(index)]! }

    mutating func transaction(_ payload: Payload, from index: Int) -> Transaction {
        let nonce = self.nonces[index, default: 0]
        self.nonces[index] = nonce + 1
        return ChainFixtures.signed(payload, from: index, nonce: nonce)
    }

    /// Sends one payload in a block of its own and returns the receipts.
    mutating func send(_ payload: Payload, from index: Int) throws -> [TransactionReceipt] {
        let transaction = self.transaction(payload, from: index)
        return try self.ledger.block([transaction]).receipts
    }

    func expectSuccess(_ receipts: [TransactionReceipt], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for receipt in receipts {
            #expect(receipt.code == 0, "\(receipt.message)", sourceLocation: sourceLocation)
        }
    }

    /// The index of the test account with `address`.
    static func index(of address: Address) -> Int { (0..<ChainFixtures.accountCount).first { ChainFixtures.address($0) == address }! }

    /// Submits an update from every selected trainer, with distinct blobs.
    mutating func submitAllUpdates() throws {
        let round = self.round
        let transactions = round.selected.map { address in
            self.transaction(
                .submitUpdate(
                    taskID: self.taskID, round: round.number, blob: SHA256Digest(hashing: Array("\(address)/\(round.number)".utf8)),
                    sampleCount: 100),
                from: Self.index(of: address))
        }
        try self.expectSuccess(self.ledger.block(transactions).receipts)
    }

    /// Every evaluator scores the round's updates with `scores` (by contributor), and the block after settles.
    mutating func scoreAll(_ scores: (Address) -> Int64) throws {
        let round = self.round
        let values = round.updates.map { scores($0.contributor) }
        let transactions = Self.evaluators.map {
            self.transaction(.submitScores(taskID: self.taskID, round: round.number, scores: values), from: $0)
        }
        try self.expectSuccess(self.ledger.block(transactions).receipts)
    }

    mutating func attest(_ models: [SHA256Digest]) throws {
        let number = self.task.round
        let transactions = zip(Self.evaluators, models).map {
            self.transaction(.attestModel(taskID: self.taskID, round: number, model: $0.1, metricBasisPoints: 9_500), from: $0.0)
        }
        try self.expectSuccess(self.ledger.block(transactions).receipts)
    }
}

@Suite("Training tasks")
struct TrainingTaskTests {
    @Test("posting a task escrows its pool; an invalid spec fails with its reason and keeps the funds")
    func posting() throws {
        var ledger = try TestLedger()
        let before = ledger.balance(1)
        let receipts = try ledger.block([ChainFixtures.signed(.createTask(TrainingFixtures.spec()), from: 1, nonce: 0)]).receipts
        #expect(receipts[0].code == 0)
        #expect(ledger.balance(1) == before - 10_000 - 1)
        #expect(ledger.state.tasks[1]?.escrow == 10_000)
        #expect(ledger.state.tasks[1]?.status == .enrolling)

        var bad = TrainingFixtures.spec()
        bad.aggregationRule = "krumm"
        let failed = try ledger.block([ChainFixtures.signed(.createTask(bad), from: 1, nonce: 1)]).receipts[0]
        #expect(failed.code == LedgerError.invalidTask(reason: "").code)
        #expect(failed.message.contains("krumm"))
        #expect(ledger.balance(1) == before - 10_000 - 2)
        #expect(ledger.state.accountedSupply == ledger.state.globals.totalSupply)
    }

    @Test("round 1 opens after enrollment and selects trainers from the previous block's hash")
    func selection() throws {
        var setup = try TaskLedger()
        try setup.ledger.emptyBlocks(1)
        #expect(setup.task.status == .running)
        #expect(setup.task.round == 1)
        let selected = setup.round.selected
        #expect(selected.count == 3)
        #expect(selected == selected.sorted())
        #expect(Set(selected).isSubset(of: TaskLedger.trainers.map(ChainFixtures.address)))

        let notSelected = TaskLedger.trainers.first { !selected.contains(ChainFixtures.address($0)) }!
        let receipts = try setup.send(
            .submitUpdate(taskID: 1, round: 1, blob: SHA256Digest(hashing: [7]), sampleCount: 10), from: notSelected)
        #expect(receipts[0].code == LedgerError.notSelected(taskID: 1, round: 1, trainer: ChainFixtures.address(0)).code)
    }

    @Test("selection is a deterministic function of the seed and spreads over candidates")
    func selectionFunction() {
        let candidates = (0..<8).map(ChainFixtures.address)
        let seed = SHA256Digest(hashing: [1])
        #expect(RoundSettlement.select(3, from: candidates, seed: seed) == RoundSettlement.select(3, from: candidates, seed: seed))
        #expect(RoundSettlement.select(9, from: candidates, seed: seed) == candidates.sorted())
        var counts: [Address: Int] = [:]
        for index in 0..<400 {
            for picked in RoundSettlement.select(2, from: candidates, seed: SHA256Digest(hashing: Array("\(index)".utf8))) {
                counts[picked, default: 0] += 1
            }
        }
        // 800 picks over 8 candidates: each near 100.
        #expect(counts.values.allSatisfy { (60...140).contains($0) })
    }

    @Test("stake-weighted median follows the stake, not the head count")
    func weightedMedian() {
        #expect(RoundSettlement.weightedMedian([(score: 5, weight: 1)]) == 5)
        #expect(RoundSettlement.weightedMedian([(score: -9, weight: 1), (score: 4, weight: 1), (score: 7, weight: 1)]) == 4)
        #expect(RoundSettlement.weightedMedian([(score: -9, weight: 10), (score: 4, weight: 1), (score: 7, weight: 1)]) == -9)
        #expect(RoundSettlement.weightedMedian([(score: 3, weight: 0), (score: 1, weight: 0)]) == 1)
    }

    @Test("a round settles: harmful updates are slashed and excluded, useful ones paid by score, evaluators by agreement")
    func settlement() throws {
        var setup = try TaskLedger()
        try setup.ledger.emptyBlocks(1)
        try setup.submitAllUpdates()
        #expect(setup.task.phase == .scoring)

        let round = setup.round
        #expect(round.updates.map(\.contributor) == round.updates.map(\.contributor).sorted())
        let good = round.updates[0].contributor, fair = round.updates[1].contributor, bad = round.updates[2].contributor
        let badBalance = setup.ledger.state.account(bad).balance
        try setup.scoreAll { [good: 3_000, fair: 1_000, bad: -50_000][$0]! }
        #expect(setup.task.phase == .attesting)

        let settled = setup.round
        #expect(settled.verdicts.map(\.consensusScore) == [3_000, 1_000, -50_000])
        #expect(settled.verdicts.map(\.accepted) == [true, true, false])
        #expect(settled.verdicts.map(\.harmful) == [false, false, true])
        // Round budget 10,000 / 2 rounds = 5,000: evaluators 20% (1,000), contributors 4,000 split 3:1.
        #expect(settled.verdicts.map(\.reward) == [3_000, 1_000, 0])
        #expect(settled.verdicts[2].slashed == 100)
        #expect(setup.member(TaskLedger.index(of: bad)).stake == 100)
        #expect(setup.ledger.state.account(bad).balance == badBalance)
        // Both evaluators agree with the consensus fully; stakes 300 and 100.
        #expect(settled.evaluatorPayouts.map(\.reward).sorted() == [250, 750])
        #expect(settled.evaluatorPayouts.allSatisfy { $0.agreementBasisPoints == 10_000 })
        #expect(setup.task.escrow == 5_000)
        #expect(setup.ledger.state.accountedSupply == setup.ledger.state.globals.totalSupply)
    }

    @Test("more than 2/3 of evaluator stake attesting one hash makes the next model version, with its lineage")
    func agreement() throws {
        var setup = try TaskLedger()
        try setup.ledger.emptyBlocks(1)
        try setup.submitAllUpdates()
        let bad = setup.round.updates[2].contributor
        try setup.scoreAll { $0 == bad ? -50_000 : 2_000 }
        let next = SHA256Digest(hashing: Array("aggregate".utf8))
        try setup.attest([next, next])

        let version = try #require(setup.ledger.state.modelVersions[1]?[1])
        #expect(version.model == next)
        #expect(version.parent == TrainingFixtures.spec().initialModel)
        #expect(version.round == 1)
        #expect(version.contributors.count == 2 && !version.contributors.contains(bad))
        #expect(version.metricBasisPoints == 9_500)
        #expect(setup.task.model == next && setup.task.version == 1)
        #expect(setup.ledger.state.rounds[1]?[1]?.result == .newVersion)
        #expect(setup.task.round == 2 && setup.task.phase == .updates)
    }

    @Test("attestations split below 2/3 of stake leave the model as it was")
    func noQuorum() throws {
        // Stakes 200 and 200: neither side holds more than 2/3.
        var setup = try TaskLedger(evaluatorStakes: [200, 200])
        try setup.ledger.emptyBlocks(1)
        try setup.submitAllUpdates()
        try setup.scoreAll { _ in 2_000 }
        try setup.attest([SHA256Digest(hashing: [1]), SHA256Digest(hashing: [2])])
        try setup.ledger.emptyBlocks(5)
        #expect(setup.ledger.state.rounds[1]?[1]?.result == .noQuorum)
        #expect(setup.task.version == 0)
        #expect(setup.task.model == TrainingFixtures.spec().initialModel)
    }

    @Test("a replayed update is kept out but counts as the copier's turn, and a selected trainer cannot leave mid-round")
    func replayAndLeave() throws {
        var setup = try TaskLedger(spec: TrainingFixtures.spec(phaseBlocks: 20))
        try setup.ledger.emptyBlocks(1)
        let selected = setup.round.selected.map(TaskLedger.index(of:))
        let blob = SHA256Digest(hashing: [42])
        try setup.expectSuccess(setup.send(.submitUpdate(taskID: 1, round: 1, blob: blob, sampleCount: 50), from: selected[0]))
        try setup.expectSuccess(setup.send(.submitUpdate(taskID: 1, round: 1, blob: blob, sampleCount: 50), from: selected[1]))
        #expect(setup.round.updates.map(\.contributor) == [ChainFixtures.address(selected[0])])
        #expect(setup.round.copies == [ChainFixtures.address(selected[1])])
        let again = try setup.send(.submitUpdate(taskID: 1, round: 1, blob: SHA256Digest(hashing: [7]), sampleCount: 5), from: selected[1])
        #expect(again[0].code == LedgerError.alreadySubmitted(taskID: 1, round: 1, member: ChainFixtures.address(0), what: "").code)
        let leave = try setup.send(.leaveTask(taskID: 1), from: selected[0])
        #expect(leave[0].code == LedgerError.memberBusy(taskID: 1, member: ChainFixtures.address(0), round: 1).code)
        let wrongRound = try setup.send(.submitUpdate(taskID: 1, round: 2, blob: SHA256Digest(hashing: [43]), sampleCount: 5), from: selected[1])
        #expect(wrongRound[0].code == LedgerError.wrongRound(taskID: 1, current: 1, received: 2).code)
        // The copier has had its turn: once the last selected trainer posts, scoring starts before the deadline.
        #expect(setup.task.phase == .updates)
        #expect(setup.ledger.state.globals.height < setup.task.phaseEndHeight)
        try setup.expectSuccess(setup.send(.submitUpdate(taskID: 1, round: 1, blob: SHA256Digest(hashing: [44]), sampleCount: 5), from: selected[2]))
        #expect(setup.task.phase == .scoring)
        #expect(setup.round.updates.count == 2)
    }

    @Test("after the last round the escrow's rest returns to the sponsor and stakes to their members")
    func completion() throws {
        var setup = try TaskLedger(spec: TrainingFixtures.spec(rounds: 1))
        try setup.ledger.emptyBlocks(1)
        try setup.submitAllUpdates()
        try setup.scoreAll { _ in 0 }
        // Nothing accepted: the round ends there, and with it the task.
        #expect(setup.ledger.state.rounds[1]?[1]?.result == .noneAccepted)
        #expect(setup.task.status == .completed)
        #expect(setup.task.escrow == 0)
        let paidToEvaluators = setup.task.totalRewarded
        #expect(paidToEvaluators == 2_000)
        for index in TaskLedger.trainers + TaskLedger.evaluators {
            #expect(setup.member(index).stake == 0 && !setup.member(index).active)
        }
        let sponsorBalance = setup.ledger.balance(TaskLedger.sponsor)
        #expect(sponsorBalance == ChainFixtures.balance - 1 - 2_000)
        #expect(setup.ledger.state.accountedSupply == setup.ledger.state.globals.totalSupply)
    }

    @Test("the training state survives storage: rebuilt from its entries it is the same")
    func storageRoundTrip() throws {
        var setup = try TaskLedger()
        try setup.ledger.emptyBlocks(1)
        try setup.submitAllUpdates()
        try setup.scoreAll { _ in 1_500 }
        let entries = setup.ledger.state.allEntries
        let rebuilt = try LedgerState(
            chainID: setup.ledger.state.chainID, entries: entries.map { (key: $0.key, value: $0.value!) })
        #expect(rebuilt.allEntries == entries)
        #expect(StateCommitment(state: rebuilt).root == StateCommitment(state: setup.ledger.state).root)
    }
}
