// ConsensusTests: the chain engine — admission, block production, receipts, reopening, replay and commits.

import Consensus
import DeAICore
import DeAITesting
import Ledger
import Storage
import Testing

struct ChainTests {
    @Test("a fresh chain starts at height 0 with the genesis state")
    func fresh() async throws {
        try await withTemporaryDirectory { directory in
            let chain = try await openChain(in: directory)
            let status = await chain.status
            let genesisState = try ChainFixtures.genesis().makeState()
            #expect(status.height == 0)
            #expect(status.chainID == ChainFixtures.chainID)
            #expect(status.stateRoot == StateCommitment(state: genesisState).root)
            #expect(status.latestBlockHash == nil)
            #expect(status.validatorAddress == ChainFixtures.validatorAddress)
            #expect(status.genesisHash == chain.genesisHash)
        }
    }

    @Test("signed transfers from several senders are admitted, committed in a block, and their receipts delivered")
    func transfers() async throws {
        try await withTemporaryDirectory { directory in
            let chain = try await openChain(in: directory)
            var hashes: [SHA256Digest] = []
            for nonce in 0..<4 as Range<UInt64> {
                for sender in 1...3 {
                    let tx = ChainFixtures.transfer(
                        from: sender,
                        to: ChainFixtures.address(10 + sender),
                        amount: 100,
                        nonce: nonce,
                        fee: 2
                    )
                    hashes.append(try await chain.submit(encoding: tx.canonicalEncoding))
                }
            }
            #expect(await chain.status.mempoolTransactions == 12)
            // A client waiting before the block exists gets the receipt when it commits.
            let firstHash = hashes[0]
            let waiter = Task { await chain.waitForReceipt(firstHash, timeout: .seconds(30)) }
            let block = try #require(try await chain.produceBlock(time: blockTime(1)))
            #expect(block.header.height == 1)
            #expect(block.transactions.count == 12)
            #expect(await waiter.value?.height == 1)
            for hash in hashes {
                let receipt = try #require(await chain.waitForReceipt(hash, timeout: .seconds(5)))
                #expect(receipt.succeeded)
                #expect(receipt.height == 1)
            }
            let view = await chain.view
            #expect(view.height == 1)
            #expect(view.header == block.header)
            for sender in 1...3 {
                #expect(view.state.account(ChainFixtures.address(sender)).balance == ChainFixtures.balance - 4 * 102)
                #expect(view.state.account(ChainFixtures.address(sender)).nonce == 4)
                #expect(view.state.account(ChainFixtures.address(10 + sender)).balance == 400)
            }
            let status = await chain.status
            #expect(status.mempoolTransactions == 0)
            #expect(status.stateRoot == block.header.stateRoot)
            #expect(status.latestBlockHash == block.hash)
            // The block and receipts are in the database.
            #expect(try await chain.database.block(at: 1) == block)
            #expect(try await chain.database.receipt(hashes[5])?.succeeded == true)
            // An empty block still advances the chain.
            let empty = try #require(try await chain.produceBlock(time: blockTime(2)))
            #expect(empty.transactions.isEmpty)
            #expect(empty.header.previousBlockHash == block.hash)
            #expect(empty.header.lastCommit?.blockHash == block.hash)
        }
    }

    @Test("waiting for an unknown transaction returns nil after the timeout")
    func receiptTimeout() async throws {
        try await withTemporaryDirectory { directory in
            let chain = try await openChain(in: directory)
            let started = ContinuousClock.now
            #expect(await chain.waitForReceipt(SHA256Digest(hashing: [1]), timeout: .milliseconds(100)) == nil)
            let elapsed = ContinuousClock.now - started
            #expect(elapsed >= .milliseconds(100))
            #expect(elapsed < .seconds(10))
        }
    }

    @Test("waiting with a zero or tiny timeout always returns", .timeLimit(.minutes(5)))
    func receiptTinyTimeout() async throws {
        try await withTemporaryDirectory { directory in
            let chain = try await openChain(in: directory)
            for index in 0..<300 {
                let timeout: Duration = index % 2 == 0 ? .zero : .nanoseconds(index)
                #expect(
                    await chain.waitForReceipt(SHA256Digest(hashing: [UInt8(index % 256)]), timeout: timeout) == nil
                )
            }
        }
    }

    /// A transaction the node must refuse, and how.
    enum Refusal: String, Sendable, CaseIterable {
        case malformed, badSignature, wrongChain, replay, futureNonce, feeUnpayableAfterPendingFees, duplicate
    }

    @Test(
        "admission refuses invalid transactions with their errors and leaves the mempool as it was",
        arguments: Refusal.allCases
    )
    func admission(_ refusal: Refusal) async throws {
        try await withTemporaryDirectory { directory in
            let chain = try await openChain(in: directory)
            // Sender 1 has nonce 0 committed; nonce 1 waits in the mempool, spending almost all its balance on fees.
            _ = try await chain.submit(
                encoding: ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 1, nonce: 0)
                    .canonicalEncoding
            )
            try await chain.produceBlock(time: blockTime(1))
            let balance = await chain.view.state.account(ChainFixtures.address(1)).balance
            let pending = ChainFixtures.transfer(
                from: 1,
                to: ChainFixtures.address(2),
                amount: 1,
                nonce: 1,
                fee: balance - 10
            )
            _ = try await chain.submit(encoding: pending.canonicalEncoding)
            let before = await chain.status

            let encoding: [UInt8]
            var expectedCode: UInt16? = nil
            switch refusal {
            case .malformed:
                encoding = Array(
                    ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 1, nonce: 2).canonicalEncoding
                        .dropLast()
                )
                expectedCode = 101
            case .badSignature:
                var tx = ChainFixtures.transfer(from: 3, to: ChainFixtures.address(2), amount: 1, nonce: 0)
                var bytes = tx.signature.rawRepresentation
                bytes[0] ^= 0x80
                tx.signature = try Signature(rawRepresentation: bytes)
                encoding = tx.canonicalEncoding
                expectedCode = 103
            case .wrongChain:
                encoding =
                    ChainFixtures.transfer(
                        from: 3,
                        to: ChainFixtures.address(2),
                        amount: 1,
                        nonce: 0,
                        chainID: "deai-other"
                    ).canonicalEncoding
                expectedCode = 102
            case .replay:
                encoding =
                    ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 1, nonce: 0).canonicalEncoding
                expectedCode = 106
            case .futureNonce:
                encoding =
                    ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 1, nonce: 3, fee: 1)
                    .canonicalEncoding
                expectedCode = 107
            case .feeUnpayableAfterPendingFees:
                encoding =
                    ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 1, nonce: 2, fee: 11)
                    .canonicalEncoding
                expectedCode = 109
            case .duplicate:
                encoding = pending.canonicalEncoding
            }
            let error = await #expect(throws: (any Error).self) { _ = try await chain.submit(encoding: encoding) }
            if let expectedCode {
                #expect((error as? LedgerError)?.code == expectedCode, "\(String(describing: error))")
            } else {
                #expect((error as? ConsensusError) == .duplicateTransaction(pending.hash))
            }
            let after = await chain.status
            #expect(after.mempoolTransactions == before.mempoolTransactions)
            #expect(after.mempoolBytes == before.mempoolBytes)
            #expect(after.stateRoot == before.stateRoot)
            // The fee that still fits is admitted.
            if refusal == .feeUnpayableAfterPendingFees {
                _ = try await chain.submit(
                    encoding: ChainFixtures.transfer(
                        from: 1,
                        to: ChainFixtures.address(2),
                        amount: 1,
                        nonce: 2,
                        fee: 10
                    ).canonicalEncoding
                )
            }
        }
    }

    @Test("a full mempool refuses with mempoolFull")
    func mempoolFull() async throws {
        try await withTemporaryDirectory { directory in
            let configuration = ChainConfiguration(mempool: MempoolConfiguration(maxTransactions: 2, maxBytes: 1 << 20))
            let chain = try await openChain(in: directory, configuration: configuration)
            for nonce in 0..<2 as Range<UInt64> {
                _ = try await chain.submit(
                    encoding: ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 1, nonce: nonce)
                        .canonicalEncoding
                )
            }
            let error = await #expect(throws: ConsensusError.self) {
                _ = try await chain.submit(
                    encoding: ChainFixtures.transfer(from: 2, to: ChainFixtures.address(2), amount: 1, nonce: 0)
                        .canonicalEncoding
                )
            }
            guard case .mempoolFull? = error else {
                Issue.record("expected mempoolFull, got \(String(describing: error))")
                return
            }
        }
    }

    @Test("a node whose commit fails halts: no more blocks or admissions, nothing reported committed")
    func haltsOnFailedCommit() async throws {
        try await withTemporaryDirectory { directory in
            // Two engines on one database, as two nodes started on the same home directory would be.
            let first = try await openChain(in: directory)
            let second = try await openChain(in: directory)
            let tx = ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 1, nonce: 0)
            _ = try await first.submit(encoding: tx.canonicalEncoding)
            _ = try await second.submit(encoding: tx.canonicalEncoding)
            try #require(try await first.produceBlock(time: blockTime(1)) != nil)

            let failed = await #expect(throws: StorageError.self) { try await second.produceBlock(time: blockTime(1)) }
            #expect(failed?.code == .writeFailed)
            #expect(await second.view.height == 0)
            let halted = await #expect(throws: ConsensusError.self) {
                try await second.produceBlock(time: blockTime(2))
            }
            guard case .halted? = halted else {
                Issue.record("expected halted, got \(String(describing: halted))")
                return
            }
            let refused = await #expect(throws: ConsensusError.self) {
                _ = try await second.submit(
                    encoding: ChainFixtures.transfer(from: 3, to: ChainFixtures.address(2), amount: 1, nonce: 0)
                        .canonicalEncoding
                )
            }
            guard case .halted? = refused else {
                Issue.record("expected halted, got \(String(describing: refused))")
                return
            }
            // The database holds the first engine's block only.
            #expect(try await first.database.latestHeight() == 1)
            #expect(try await first.database.header(at: 1) == (await first.view.header))
        }
    }

    @Test("a node that is not a validator produces no block")
    func notAValidator() async throws {
        try await withTemporaryDirectory { directory in
            let chain = try await openChain(in: directory, validatorKey: ChainFixtures.key(5))
            #expect(try await chain.produceBlock(time: blockTime(1)) == nil)
            #expect(await chain.status.height == 0)
            #expect(await chain.status.validatorAddress == nil)
        }
    }

    /// Produces `blocks` blocks of transfers (and one staking change) from several senders.
    static func produce(_ chain: Chain, blocks: Int, firstHeight: Height = 1, nonces: inout [Int: UInt64]) async throws
    {
        for offset in 0..<blocks {
            for sender in 1...4 where (sender + offset) % 3 != 0 {
                let nonce = nonces[sender, default: 0]
                nonces[sender] = nonce + 1
                let tx =
                    sender == 4 && offset == 1
                    ? ChainFixtures.signed(
                        .delegate(validator: ChainFixtures.validatorAddress, amount: 5_000),
                        from: sender,
                        nonce: nonce
                    )
                    : ChainFixtures.transfer(
                        from: sender,
                        to: ChainFixtures.address(sender + 1),
                        amount: UInt64(10 * (offset + 1)),
                        nonce: nonce
                    )
                _ = try await chain.submit(encoding: tx.canonicalEncoding)
            }
            #expect(try await chain.produceBlock(time: blockTime(firstHeight + Height(offset))) != nil)
        }
    }

    @Test("reopening the database gives the same height and state root, and the chain goes on")
    func reopen() async throws {
        try await withTemporaryDirectory { directory in
            var nonces: [Int: UInt64] = [:]
            let status: ChainStatus
            do {
                let chain = try await openChain(in: directory)
                try await Self.produce(chain, blocks: 4, nonces: &nonces)
                status = await chain.status
            }
            let chain = try await openChain(in: directory)
            let reopened = await chain.status
            #expect(reopened.height == 4)
            #expect(reopened.stateRoot == status.stateRoot)
            #expect(reopened.latestBlockHash == status.latestBlockHash)
            #expect(reopened.genesisHash == status.genesisHash)
            // Nonces continue where they were; the next block carries the commit of block 4.
            try await Self.produce(chain, blocks: 1, firstHeight: 5, nonces: &nonces)
            let header = try #require(await chain.view.header)
            #expect(header.height == 5)
            #expect(header.previousBlockHash == status.latestBlockHash)
            #expect(header.lastCommit?.blockHash == status.latestBlockHash)
        }
    }

    @Test("reopening with another genesis is refused as a foreign chain")
    func foreignChain() async throws {
        try await withTemporaryDirectory { directory in
            do {
                let chain = try await openChain(in: directory)
                var nonces: [Int: UInt64] = [:]
                try await Self.produce(chain, blocks: 1, nonces: &nonces)
            }
            let others: [Genesis] = [
                ChainFixtures.genesis(chainID: "deai-other"),
                ChainFixtures.genesis(balance: ChainFixtures.balance + 1),
                ChainFixtures.genesis(treasury: 1),
            ]
            for other in others {
                let error = await #expect(throws: ConsensusError.self) {
                    _ = try await openChain(in: directory, genesis: other)
                }
                guard case .foreignChain? = error else {
                    Issue.record("expected foreignChain, got \(String(describing: error))")
                    continue
                }
            }
            // The right genesis still opens it.
            #expect(try await openChain(in: directory).status.height == 1)
        }
    }

    @Test("replaying the stored blocks from genesis gives each block's state root and the final root")
    func replay() async throws {
        try await withTemporaryDirectory { directory in
            let chain = try await openChain(in: directory)
            var nonces: [Int: UInt64] = [:]
            try await Self.produce(chain, blocks: 5, nonces: &nonces)
            let database = chain.database
            let latest = try await database.latestHeight()
            #expect(latest == 5)

            var state = try ChainFixtures.genesis().makeState()
            var commitment = StateCommitment(state: state)
            for height in 1...latest {
                let block = try #require(try await database.block(at: height))
                let transactions = try block.transactions.map {
                    try VerifiedTransaction(encoding: $0.canonicalEncoding)
                }
                #expect(SignatureVerifier.verify(transactions).allSatisfy { $0 })
                #expect(Block.transactionsRoot(of: transactions.map(\.encoding)) == block.header.transactionsRoot)
                let outcome = try StateTransition.applyBlock(
                    transactions,
                    to: &state,
                    context: BlockContext(
                        height: height, time: block.header.time, proposer: block.header.proposer,
                        previousBlockHash: block.header.previousBlockHash)
                )
                commitment.apply(outcome.changes)
                #expect(commitment.root == block.header.stateRoot, "block \(height)")
                #expect(Block.receiptsRoot(of: outcome.receipts) == block.header.receiptsRoot, "block \(height)")
            }
            #expect(commitment.root == (await chain.status.stateRoot))
            // The node's own replay agrees.
            let result = try await ChainReplay.replay(database: database, genesis: ChainFixtures.genesis())
            #expect(result.height == latest)
            #expect(result.stateRoot == commitment.root)
        }
    }

    @Test("an account proof from the committed view verifies against the latest header's state root")
    func accountProof() async throws {
        try await withTemporaryDirectory { directory in
            let chain = try await openChain(in: directory)
            var nonces: [Int: UInt64] = [:]
            try await Self.produce(chain, blocks: 2, nonces: &nonces)
            let view = await chain.view
            let header = try #require(view.header)
            let proven = try #require(try view.accountProof(ChainFixtures.address(2)).verify(against: header.stateRoot))
            #expect(try Account(canonicalEncoding: proven) == view.state.account(ChainFixtures.address(2)))
            #expect(try view.accountProof(ChainFixtures.address(29)).verify(against: header.stateRoot) == nil)
            // Against an earlier header it does not verify: the balance changed since.
            let first = try #require(try await chain.database.header(at: 1))
            #expect(throws: LedgerError.self) {
                try view.accountProof(ChainFixtures.address(2)).verify(against: first.stateRoot)
            }
        }
    }

    @Test("a header's lastCommit verifies against the validator set, and fails for a tampered signature")
    func lastCommit() async throws {
        try await withTemporaryDirectory { directory in
            let chain = try await openChain(in: directory)
            var nonces: [Int: UInt64] = [:]
            try await Self.produce(chain, blocks: 3, nonces: &nonces)
            let database = chain.database
            let first = try #require(try await database.header(at: 1))
            let second = try #require(try await database.header(at: 2))
            #expect(first.lastCommit == nil)
            let commit = try #require(second.lastCommit)
            let validatorSet = ValidatorSet(state: try ChainFixtures.genesis().makeState())
            #expect(first.validatorSetHash == validatorSet.hash)
            try commit.verify(
                chainID: ChainFixtures.chainID,
                height: 1,
                blockHash: first.hash,
                validatorSet: validatorSet
            )
            #expect(try await database.commit(at: 1) == commit)

            var tampered = commit
            var bytes = tampered.signatures[0].signature.rawRepresentation
            bytes[5] ^= 0x01
            tampered.signatures[0].signature = try Signature(rawRepresentation: bytes)
            let error = #expect(throws: LedgerError.self) {
                try tampered.verify(
                    chainID: ChainFixtures.chainID,
                    height: 1,
                    blockHash: first.hash,
                    validatorSet: validatorSet
                )
            }
            #expect(error?.code == 302)
            // Nor does it verify for another block, another chain, or without signatures.
            #expect(throws: LedgerError.self) {
                try commit.verify(
                    chainID: ChainFixtures.chainID,
                    height: 1,
                    blockHash: second.hash,
                    validatorSet: validatorSet
                )
            }
            #expect(throws: LedgerError.self) {
                try commit.verify(chainID: "deai-other", height: 1, blockHash: first.hash, validatorSet: validatorSet)
            }
            var empty = commit
            empty.signatures = []
            #expect(throws: LedgerError.self) {
                try empty.verify(
                    chainID: ChainFixtures.chainID,
                    height: 1,
                    blockHash: first.hash,
                    validatorSet: validatorSet
                )
            }
        }
    }
}
