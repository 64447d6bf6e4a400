// LedgerTests: the same blocks give the same state everywhere; a built block re-applies identically.

import DeAICore
import DeAITesting
import Ledger
import Testing

struct DeterminismTests {
    @Test(
        "two copies applying the same blocks get the same changes and the same state root",
        arguments: [7, 99] as [UInt64]
    )
    func twoCopies(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let genesis = ChainFixtures.genesis(parameters: RewardAndSupplyTests.randomParameters(), treasury: 5_000)
        var first = try TestLedger(genesis: genesis)
        var second = try TestLedger(genesis: genesis)
        var firstCommitment = StateCommitment(state: first.state)
        var secondCommitment = StateCommitment(state: second.state)
        var nonces: [Int: UInt64] = [:]
        for _ in 0..<25 {
            let block = RewardAndSupplyTests.randomBlock(first, nonces: &nonces, using: &rng)
            let a = try first.block(block)
            let b = try second.block(block)
            #expect(a.changes == b.changes)
            #expect(a.receipts == b.receipts)
            firstCommitment.apply(a.changes)
            secondCommitment.apply(b.changes)
            #expect(firstCommitment.root == secondCommitment.root)
        }
        // The incremental commitment equals one rebuilt from the whole state.
        #expect(firstCommitment.root == StateCommitment(state: first.state).root)
        #expect(first.entries == second.entries)
    }

    @Test("buildBlock then applyBlock on the same starting state agree, leaving out invalid candidates")
    func buildThenApply() throws {
        let ledger = try TestLedger()
        // Valid transfers from three senders, a future nonce, a replay, an unpayable fee, and the later
        // transactions of a sender whose earlier one was dropped.
        let transactions: [Transaction] = [
            ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 10, nonce: 0),
            ChainFixtures.transfer(from: 2, to: ChainFixtures.address(3), amount: ChainFixtures.balance * 2, nonce: 0),
            ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 10, nonce: 1),
            ChainFixtures.transfer(from: 3, to: ChainFixtures.address(1), amount: 10, nonce: 5),
            ChainFixtures.transfer(from: 3, to: ChainFixtures.address(1), amount: 10, nonce: 6),
            ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 10, nonce: 1),
            ChainFixtures.transfer(from: 25, to: ChainFixtures.address(1), amount: 10, nonce: 0),
            ChainFixtures.transfer(from: 4, to: ChainFixtures.address(5), amount: 10, nonce: 0),
        ]
        let candidates = transactions.map { VerifiedTransaction($0) }
        let context = ledger.context
        var built = ledger.state
        let block = StateTransition.buildBlock(from: candidates, on: &built, context: context)
        #expect(block.transactions.map(\.hash) == [0, 1, 2, 7].map { candidates[$0].hash })
        #expect(block.dropped.map(\.reason.code).sorted() == [106, 107, 107, 109])
        #expect(block.deferred.isEmpty)
        #expect(block.outcome.receipts.map(\.code) == [0, 201, 0, 0])
        #expect(block.outcome.receipts.map(\.index) == [0, 1, 2, 3])

        var applied = ledger.state
        let outcome = try StateTransition.applyBlock(block.transactions, to: &applied, context: context)
        #expect(outcome.receipts == block.outcome.receipts)
        #expect(outcome.changes == block.outcome.changes)
        #expect(StateCommitment(state: applied).root == StateCommitment(state: built).root)
        #expect(applied.allEntries == built.allEntries)
    }

    @Test("buildBlock defers what does not fit the block limit, keeping each sender's order")
    func buildDefers() throws {
        var parameters = ChainParameters()
        parameters.maxBlockTransactions = 3
        var ledger = try TestLedger(genesis: ChainFixtures.genesis(parameters: parameters))
        let candidates = (0..<3).flatMap { nonce in
            [1, 2].map {
                ChainFixtures.transfer(from: $0, to: ChainFixtures.address(3), amount: 1, nonce: UInt64(nonce))
            }
        }
        .map { VerifiedTransaction($0) }
        var state = ledger.state
        let block = StateTransition.buildBlock(from: candidates, on: &state, context: ledger.context)
        #expect(block.transactions.map(\.hash) == candidates.prefix(3).map(\.hash))
        #expect(block.deferred.map(\.hash) == candidates.suffix(3).map(\.hash))
        #expect(block.dropped.isEmpty)
        // A block over the limit is invalid.
        let error = #expect(throws: LedgerError.self) { try ledger.block(candidates.map(\.transaction)) }
        #expect(error?.code == 302)
    }

    @Test("in a full block, the later transactions of a sender already dropped are dropped too, not deferred")
    func droppedSenderInFullBlock() throws {
        var parameters = ChainParameters()
        parameters.maxBlockTransactions = 2
        let ledger = try TestLedger(genesis: ChainFixtures.genesis(parameters: parameters))
        let to = ChainFixtures.address(9)
        let transactions = [
            ChainFixtures.transfer(from: 1, to: to, amount: 1, nonce: 0),
            ChainFixtures.transfer(from: 2, to: to, amount: 1, nonce: 5),  // nonce gap: dropped
            ChainFixtures.transfer(from: 3, to: to, amount: 1, nonce: 0),
            ChainFixtures.transfer(from: 2, to: to, amount: 1, nonce: 6),  // after the gap: dropped as well
            ChainFixtures.transfer(from: 4, to: to, amount: 1, nonce: 0),  // valid, no room: deferred
        ]
        let candidates = transactions.map { VerifiedTransaction($0) }
        var state = ledger.state
        let block = StateTransition.buildBlock(from: candidates, on: &state, context: ledger.context)
        #expect(block.transactions.map(\.hash) == [candidates[0], candidates[2]].map(\.hash))
        #expect(block.dropped.map(\.transaction.hash) == [candidates[1], candidates[3]].map(\.hash))
        #expect(block.deferred.map(\.hash) == [candidates[4].hash])
    }
}
