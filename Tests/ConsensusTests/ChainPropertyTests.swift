// ConsensusTests: random submissions and blocks through the engine, then checks that nothing is lost or stuck.

import Consensus
import DeAICore
import DeAITesting
import Ledger
import Storage
import Testing

struct ChainPropertyTests {
    @Test(
        "random submissions and small blocks: receipts in nonce order, nothing stuck, supply kept, replay agrees",
        arguments: [3, 17, 2026] as [UInt64]
    )
    func randomRun(seed: UInt64) async throws {
        try await withTemporaryDirectory { directory in
            var parameters = ChainParameters()
            parameters.maxBlockTransactions = 4
            let genesis = ChainFixtures.genesis(parameters: parameters, balance: 5_000)
            let chain = try await openChain(in: directory, genesis: genesis)
            var rng = SeededGenerator(seed: seed)
            let senders = 1...5
            var next: [Int: UInt64] = [:]
            var admitted: [SHA256Digest: (sender: Int, nonce: UInt64)] = [:]
            var height: Height = 0
            for _ in 0..<15 {
                for _ in 0..<Int.random(in: 0...8, using: &rng) {
                    let sender = Int.random(in: senders, using: &rng)
                    // Large amounts and fees now and then, so that later transactions become invalid in the block.
                    let amount = Amount.random(in: 0...(Bool.random(using: &rng) ? 4_000 : 50), using: &rng)
                    let fee = Amount.random(in: 1...(Int.random(in: 0..<5, using: &rng) == 0 ? 2_000 : 9), using: &rng)
                    let tx = ChainFixtures.transfer(
                        from: sender,
                        to: ChainFixtures.address(Int.random(in: 1...7, using: &rng)),
                        amount: amount,
                        nonce: next[sender, default: 0],
                        fee: fee
                    )
                    do {
                        _ = try await chain.submit(encoding: tx.canonicalEncoding)
                        admitted[tx.hash] = (sender, tx.body.nonce)
                        next[sender, default: 0] += 1
                    } catch let error as LedgerError {
                        // The engine's view of the next nonce may be behind ours after drops: take it from the error.
                        switch error {
                        case .nonceAlreadyUsed(_, let expected, _), .nonceInFuture(_, let expected, _):
                            next[sender] = expected
                        case .insufficientFundsForFee: break
                        default: Issue.record("unexpected refusal \(error)")
                        }
                    }
                }
                height += 1
                try #require(try await chain.produceBlock(time: blockTime(height)) != nil)
                let state = await chain.view.state
                #expect(state.accountedSupply == state.globals.totalSupply)
            }
            // Drain the mempool.
            while await chain.status.mempoolTransactions > 0 {
                height += 1
                try await chain.produceBlock(time: blockTime(height))
                try #require(height < 200, "the mempool does not drain")
            }
            let view = await chain.view
            for sender in senders {
                var receiptNonces: [UInt64] = []
                for (hash, origin) in admitted where origin.sender == sender {
                    if let receipt = try await chain.database.receipt(hash) {
                        #expect(receipt.height <= height)
                        receiptNonces.append(origin.nonce)
                    }
                }
                // Committed transactions are exactly nonces 0..<n, and the account's nonce is n.
                receiptNonces.sort()
                #expect(receiptNonces == Array(0..<UInt64(receiptNonces.count)), "seed \(seed), sender \(sender)")
                let nonce = view.state.account(ChainFixtures.address(sender)).nonce
                #expect(nonce == UInt64(receiptNonces.count))
                // Nothing phantom is pending: the next nonce is admitted when the fee can be paid.
                if view.state.account(ChainFixtures.address(sender)).balance >= 1 {
                    _ = try await chain.submit(
                        encoding: ChainFixtures.transfer(
                            from: sender,
                            to: ChainFixtures.address(1),
                            amount: 0,
                            nonce: nonce
                        )
                        .canonicalEncoding
                    )
                }
            }
            let replayed = try await ChainReplay.replay(database: chain.database, genesis: genesis)
            #expect(replayed.stateRoot == view.commitment.root)
        }
    }
}
