// LedgerTests: a ledger under test — a state, the next block's context, and the supply bookkeeping.

import DeAICore
import DeAITesting
import Ledger

/// A state and the height of the last block applied to it, with the genesis validator as every block's proposer.
struct TestLedger {
    var state: LedgerState
    var height: Height = 0
    var proposer: Address = ChainFixtures.validatorAddress

    init(genesis: Genesis = ChainFixtures.genesis()) throws {
        self.state = try genesis.makeState()
        _ = self.state.takeChanges()
    }

    /// The context of the next block.
    var context: BlockContext {
        BlockContext(
            height: self.height + 1,
            time: ChainFixtures.genesisTime + (self.height + 1) * 1_000,
            proposer: self.proposer,
            previousBlockHash: SHA256Digest(domain: "test/previous-block", hashing: self.height.canonicalEncoding)
        )
    }

    /// (state, tx) → (state′, receipt): one transaction alone, without the block's begin and end.
    mutating func apply(_ transaction: Transaction) throws(LedgerError) -> TransactionReceipt {
        let encoding = transaction.canonicalEncoding
        return try StateTransition.apply(
            transaction,
            encodedSize: encoding.count,
            hash: transaction.hash,
            index: 0,
            to: &self.state,
            context: self.context
        )
    }

    /// Applies a whole block (reward, unbondings and proposal periods included) and advances the height.
    @discardableResult
    mutating func block(_ transactions: [Transaction] = []) throws(LedgerError) -> BlockOutcome {
        let context = self.context
        let outcome = try StateTransition.applyBlock(
            transactions.map(VerifiedTransaction.init),
            to: &self.state,
            context: context
        )
        self.height = context.height
        return outcome
    }

    /// Applies `count` empty blocks.
    mutating func emptyBlocks(_ count: Int) throws(LedgerError) {
        for _ in 0..<count { try self.block() }
    }

    func balance(_ index: Int) -> Amount { self.state.account(ChainFixtures.address(index)).balance }
    func nonce(_ index: Int) -> UInt64 { self.state.account(ChainFixtures.address(index)).nonce }

    /// Every entry of the state, to compare a state before and after.
    var entries: [StateChange] { self.state.allEntries }
}

/// A consensus key for a new validator created in a test, distinct from every account key.
func newConsensusKey(_ index: Int) -> VerifyingKey { TestKeys.signingKey(2_000 + index).verifyingKey }
