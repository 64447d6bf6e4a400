// DeAITesting: a one-validator block producer without a database, for storage and replay tests.

public import DeAICore
public import Ledger
public import Consensus

/// Produces the blocks of a one-validator chain from a genesis with the chain's own ``ChainCore``: proposes the
/// transactions, signs the commit with ``ChainFixtures/consensusKey`` and applies the block.
///
/// ```swift
/// var producer = try TestBlockProducer(genesis: ChainFixtures.genesis())
/// let produced = try producer.produce([ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 5, nonce: 0)])
/// ```
public struct TestBlockProducer {
    /// A produced block and everything its commit writes.
    public struct Produced: Sendable {
        public var block: Block
        public var encodedTransactions: [[UInt8]]
        public var receipts: [TransactionReceipt]
        public var changes: [StateChange]
        /// The validator's precommit of ``block``.
        public var commit: Commit
    }

    /// The decided chain.
    public private(set) var core: ChainCore
    /// The genesis state's entries, as a database is initialized with.
    public let genesisEntries: [StateChange]

    /// A producer at height 0 of `genesis`, whose one validator signs with ``ChainFixtures/consensusKey``.
    public init(genesis: Genesis) throws {
        var state = try genesis.makeState()
        self.genesisEntries = state.takeChanges()
        let commitment = StateCommitment(state: state)
        let genesisHash = Genesis.hash(chainID: genesis.chainID, genesisTime: genesis.genesisTime, stateRoot: commitment.root)
        self.core = ChainCore(genesisHash: genesisHash, state: state, commitment: commitment)
    }

    /// The state after the last produced block.
    public var state: LedgerState { self.core.state }
    /// Its commitment.
    public var commitment: StateCommitment { self.core.commitment }
    /// The hash block 1 names as its previous block.
    public var genesisHash: SHA256Digest { self.core.genesisHash }

    /// Proposes `transactions` as the next block, one second after the previous one, signs its commit and applies it.
    /// - Throws: the ``LedgerError`` of an invalid transaction; then nothing changes.
    public mutating func produce(_ transactions: [Transaction]) throws -> Produced {
        let height = self.core.height + 1
        let proposed = self.core.propose(
            from: transactions.map { VerifiedTransaction($0) }, time: ChainFixtures.genesisTime + height * 1_000,
            proposer: ChainFixtures.validatorAddress)
        if let (_, reason) = proposed.dropped.first { throw reason }
        let executed = proposed.executed
        var commit = Commit(height: height, round: 0, blockHash: executed.block.hash, signatures: [])
        let vote = commit.vote(chainID: self.core.chainID, validator: ChainFixtures.validatorAddress)
        commit.signatures = [try CommitSignature(signing: vote, with: ChainFixtures.consensusKey)]
        try self.core.apply(executed, commit: commit)
        return Produced(
            block: executed.block, encodedTransactions: executed.encodings, receipts: executed.outcome.receipts,
            changes: executed.outcome.changes, commit: commit)
    }
}
