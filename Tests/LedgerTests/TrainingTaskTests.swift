// Training tasks on the ledger: enrollment, selection, commit and reveal, forfeits, copies and completion.

import DeAICore
import DeAITesting
import Ledger
import Testing

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

    @Test("an evaluator joins only with a data commitment, and round 1 waits for the task's minimum of evaluators")
    func evaluatorsEnrol() throws {
        var ledger = try TestLedger(genesis: ChainFixtures.genesis(accountCount: 10))
        let spec = TrainingFixtures.spec(minimumEvaluators: 2)
        var transactions = [ChainFixtures.signed(.createTask(spec), from: 1, nonce: 0)]
        transactions.append(
            ChainFixtures.signed(.joinTask(taskID: 1, role: .trainer, stake: 200, dataCommitment: nil), from: 2, nonce: 0))
        transactions.append(
            ChainFixtures.signed(.joinTask(taskID: 1, role: .evaluator, stake: 200, dataCommitment: nil), from: 6, nonce: 0))
        let receipts = try ledger.block(transactions).receipts
        #expect(receipts[2].code == LedgerError.invalidSubmission(reason: "").code)
        #expect(receipts[2].message.contains("data commitment"))

        let data = SHA256Digest(hashing: [1])
        _ = try ledger.block([
            ChainFixtures.signed(.joinTask(taskID: 1, role: .evaluator, stake: 200, dataCommitment: data), from: 6, nonce: 1)
        ])
        try ledger.emptyBlocks(3)
        #expect(ledger.state.tasks[1]?.status == .enrolling)
        #expect(ledger.state.taskMembers[1]?[ChainFixtures.address(6)]?.dataCommitment == data)
        _ = try ledger.block([
            ChainFixtures.signed(.joinTask(taskID: 1, role: .evaluator, stake: 200, dataCommitment: data), from: 7, nonce: 0)
        ])
        #expect(ledger.state.tasks[1]?.status == .running)
    }

    @Test("an evaluator of a task with sealed updates joins only with a sealing key, which the chain keeps")
    func evaluatorsOfSealedTasksRegisterKeys() throws {
        var ledger = try TestLedger(genesis: ChainFixtures.genesis(accountCount: 10))
        var spec = TrainingFixtures.spec()
        spec.sealedUpdates = true
        let data = SHA256Digest(hashing: [1])
        let key = SealingKey(deriving: [6]).publicKey
        let receipts = try ledger.block([
            ChainFixtures.signed(.createTask(spec), from: 1, nonce: 0),
            ChainFixtures.signed(.joinTask(taskID: 1, role: .evaluator, stake: 200, dataCommitment: data), from: 6, nonce: 0),
            ChainFixtures.signed(
                .joinTask(taskID: 1, role: .evaluator, stake: 200, dataCommitment: data, sealingKey: key), from: 7, nonce: 0),
            ChainFixtures.signed(.joinTask(taskID: 1, role: .trainer, stake: 200, dataCommitment: nil), from: 2, nonce: 0),
        ]).receipts
        #expect(receipts[1].code == LedgerError.invalidSubmission(reason: "").code)
        #expect(receipts[1].message.contains("sealing key"), "\(receipts[1].message)")
        #expect(receipts[2].code == 0 && receipts[3].code == 0)
        #expect(ledger.state.taskMembers[1]?[ChainFixtures.address(7)]?.sealingKey == key)
        #expect(ledger.state.taskMembers[1]?[ChainFixtures.address(6)] == nil)
    }

    @Test("round 1 selects trainers from the previous block's hash; only they may commit")
    func selection() throws {
        var setup = try TaskLedger()
        try setup.ledger.emptyBlocks(1)
        #expect(setup.task.status == .running)
        #expect(setup.task.round == 1)
        #expect(setup.task.phase == .commitUpdates)
        let selected = setup.round.selected
        #expect(selected.count == 3)
        #expect(selected == selected.sorted())
        #expect(Set(selected).isSubset(of: TaskLedger.trainers.map(ChainFixtures.address)))

        let notSelected = TaskLedger.trainers.first { !selected.contains(ChainFixtures.address($0)) }!
        let receipts = try setup.send(
            .commitUpdate(taskID: 1, round: 1, commitment: SHA256Digest(hashing: [7])), from: notSelected)
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

    @Test("an update is revealed only after every commitment is in, and only if it opens its own commitment")
    func commitThenReveal() throws {
        var setup = try TaskLedger(spec: TrainingFixtures.spec(phaseBlocks: 20, minimumEvaluators: 3))
        try setup.ledger.emptyBlocks(1)
        let selected = setup.round.selected.map(TaskLedger.index(of:))
        let (first, second, third) = (selected[0], selected[1], selected[2])
        let blob = TaskLedger.blob(of: ChainFixtures.address(first), round: 1)
        let salt = TaskLedger.salt(first, round: 1)

        // Revealing before the commit phase closes is refused: nobody can read an update while others still commit.
        try setup.expectSuccess(
            setup.send(.commitUpdate(taskID: 1, round: 1, commitment: setup.updateCommitment(first, blob: blob)), from: first))
        let early = try setup.send(.revealUpdate(taskID: 1, round: 1, blob: blob, sampleCount: 10, salt: salt), from: first)
        #expect(early[0].code == LedgerError.wrongPhase(taskID: 1, round: 1, expected: .revealUpdates, actual: .commitUpdates).code)

        // A copier that saw the first commitment and posts it as its own can never open it.
        let copied = setup.round.updateCommitments[0].hash
        try setup.expectSuccess(setup.send(.commitUpdate(taskID: 1, round: 1, commitment: copied), from: second))
        let thirdBlob = TaskLedger.blob(of: ChainFixtures.address(third), round: 1)
        try setup.expectSuccess(
            setup.send(.commitUpdate(taskID: 1, round: 1, commitment: setup.updateCommitment(third, blob: thirdBlob)), from: third))
        #expect(setup.task.phase == .revealUpdates)

        try setup.expectSuccess(setup.send(.revealUpdate(taskID: 1, round: 1, blob: blob, sampleCount: 10, salt: salt), from: first))
        let stolen = try setup.send(.revealUpdate(taskID: 1, round: 1, blob: blob, sampleCount: 10, salt: salt), from: second)
        #expect(stolen[0].code == LedgerError.commitmentMismatch(taskID: 1, round: 1, member: ChainFixtures.address(0), what: "").code)
        let wrongSalt = try setup.send(
            .revealUpdate(taskID: 1, round: 1, blob: thirdBlob, sampleCount: 10, salt: TaskLedger.salt(first, round: 1)), from: third)
        #expect(wrongSalt[0].code == LedgerError.commitmentMismatch(taskID: 1, round: 1, member: ChainFixtures.address(0), what: "").code)
        try setup.expectSuccess(
            setup.send(.revealUpdate(taskID: 1, round: 1, blob: thirdBlob, sampleCount: 10, salt: TaskLedger.salt(third, round: 1)), from: third))
        #expect(setup.round.updates.map(\.contributor) == [first, third].map(ChainFixtures.address).sorted())
        let leave = try setup.send(.leaveTask(taskID: 1), from: first)
        #expect(leave[0].code == LedgerError.memberBusy(taskID: 1, member: ChainFixtures.address(0), round: 1).code)
    }

    @Test("a commitment never revealed forfeits the reveal deposit; the round goes on at the deadline without it")
    func noRevealForfeits() throws {
        var setup = try TaskLedger(spec: TrainingFixtures.spec(phaseBlocks: 4, minimumEvaluators: 3))
        try setup.ledger.emptyBlocks(1)
        let selected = setup.round.selected.map(TaskLedger.index(of:))
        try setup.sendAll(
            selected.map { index in
                let blob = TaskLedger.blob(of: ChainFixtures.address(index), round: 1)
                return (.commitUpdate(taskID: 1, round: 1, commitment: setup.updateCommitment(index, blob: blob)), index)
            })
        try setup.sendAll(
            selected.dropLast().map { index in
                let blob = TaskLedger.blob(of: ChainFixtures.address(index), round: 1)
                return (.revealUpdate(taskID: 1, round: 1, blob: blob, sampleCount: 10, salt: TaskLedger.salt(index, round: 1)), index)
            })
        #expect(setup.task.phase == .revealUpdates)
        try setup.ledger.emptyBlocks(4)
        #expect(setup.task.phase == .commitScores)
        let withheld = selected.last!
        #expect(setup.round.forfeited == [ChainFixtures.address(withheld)])
        #expect(setup.member(withheld).stake == 200 - 10)
        #expect(setup.member(withheld).slashed == 10)
        #expect(setup.round.updates.count == 2)
        #expect(setup.supplyAddsUp)
    }

    @Test("an update already revealed in an earlier round is a copy: no update kept, nothing paid")
    func replayAcrossRounds() throws {
        var setup = try TaskLedger()
        try setup.ledger.emptyBlocks(1)
        try setup.submitAllUpdates()
        let earlier = setup.round.updates[0].blob
        try setup.scoreAll { _ in useful(2_000) }
        try setup.attest(Array(repeating: SHA256Digest(hashing: [9]), count: 3))
        #expect(setup.task.round == 2)

        let copier = TaskLedger.index(of: setup.round.selected[0])
        try setup.expectSuccess(setup.send(.commitUpdate(taskID: 1, round: 2, commitment: setup.updateCommitment(copier, blob: earlier)), from: copier))
        for index in setup.round.selected.dropFirst().map(TaskLedger.index(of:)) {
            let blob = TaskLedger.blob(of: ChainFixtures.address(index), round: 2)
            try setup.expectSuccess(setup.send(.commitUpdate(taskID: 1, round: 2, commitment: setup.updateCommitment(index, blob: blob)), from: index))
        }
        try setup.expectSuccess(
            setup.send(.revealUpdate(taskID: 1, round: 2, blob: earlier, sampleCount: 10, salt: TaskLedger.salt(copier, round: 2)), from: copier))
        #expect(setup.round.copies == [ChainFixtures.address(copier)])
        #expect(!setup.round.updates.contains { $0.contributor == ChainFixtures.address(copier) })
    }

    @Test("after the last round the escrow's rest returns to the sponsor and stakes to their members")
    func completion() throws {
        var setup = try TaskLedger(spec: TrainingFixtures.spec(rounds: 1, minimumEvaluators: 3))
        try setup.ledger.emptyBlocks(1)
        try setup.submitAllUpdates()
        try setup.scoreAll { _ in UpdateAssessment(score: 0, harm: 0, harmError: 0, excluded: true) }
        // Nothing accepted: the round ends there unpaid, and with it the task.
        #expect(setup.ledger.state.rounds[1]?[1]?.result == .tooFewAccepted)
        #expect(setup.ledger.state.rounds[1]?[1]?.earned == 0)
        #expect(setup.task.status == .completed)
        #expect(setup.task.escrow == 0)
        #expect(setup.task.totalRewarded == 0)
        for index in TaskLedger.trainers + TaskLedger.evaluators {
            #expect(setup.member(index).stake == 0 && !setup.member(index).active)
        }
        #expect(setup.ledger.balance(TaskLedger.sponsor) == ChainFixtures.balance - 1)
        #expect(setup.supplyAddsUp)
    }

    @Test("the training state survives storage: rebuilt from its entries it is the same")
    func storageRoundTrip() throws {
        var setup = try TaskLedger()
        try setup.ledger.emptyBlocks(1)
        try setup.submitAllUpdates()
        try setup.scoreAll { _ in useful(1_500) }
        let entries = setup.ledger.state.allEntries
        let rebuilt = try LedgerState(
            chainID: setup.ledger.state.chainID, entries: entries.map { (key: $0.key, value: $0.value!) })
        #expect(rebuilt.allEntries == entries)
        #expect(StateCommitment(state: rebuilt).root == StateCommitment(state: setup.ledger.state).root)
    }
}
