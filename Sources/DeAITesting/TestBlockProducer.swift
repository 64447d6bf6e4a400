// DeAITesting: a one-validator block producer built on the Ledger alone, for storage and replay tests.

public import DeAICore
public import Ledger

/// Produces the blocks of a one-validator chain from a genesis, as the chain engine would: applies the
/// transactions, computes the roots, and signs the commit with ``ChainFixtures/consensusKey``.
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

    /// The state after the last produced block.
    public private(set) var state: LedgerState
    /// Its commitment.
    public private(set) var commitment: StateCommitment
    /// The hash block 1 names as its previous block.
    public let genesisHash: SHA256Digest
    /// The genesis state's entries, as a database is initialized with.
    public let genesisEntries: [StateChange]
    private var previousHash: SHA256Digest
    private var lastCommit: Commit?

    /// A producer at height 0 of `genesis`, whose one validator signs with ``ChainFixtures/consensusKey``.
    public init(genesis: Genesis) throws {
        var state = try genesis.makeState()
        self.genesisEntries = state.takeChanges()
        self.state = state
        self.commitment = StateCommitment(state: state)
        self.genesisHash = Genesis.hash(
            chainID: genesis.chainID,
            genesisTime: genesis.genesisTime,
            stateRoot: self.commitment.root
        )
        self.previousHash = self.genesisHash
    }

    /// Applies `transactions` as the next block, one second after the previous one, and signs its commit.
    /// - Throws: the ``LedgerError`` of an invalid transaction; then nothing changes.
    public mutating func produce(_ transactions: [Transaction]) throws -> Produced {
        let height = self.state.height + 1
        let validatorSet = ValidatorSet(state: self.state)
        let verified = transactions.map { VerifiedTransaction($0) }
        let context = BlockContext(
            height: height,
            time: ChainFixtures.genesisTime + height * 1_000,
            proposer: ChainFixtures.validatorAddress,
            previousBlockHash: self.previousHash
        )
        var next = self.state
        let outcome = try StateTransition.applyBlock(verified, to: &next, context: context)
        var commitment = self.commitment
        commitment.apply(outcome.changes)
        let encodings = verified.map(\.encoding)
        let header = BlockHeader(
            chainID: next.chainID,
            height: height,
            time: context.time,
            previousBlockHash: self.previousHash,
            transactionsRoot: Block.transactionsRoot(of: encodings),
            stateRoot: commitment.root,
            receiptsRoot: Block.receiptsRoot(of: outcome.receipts),
            proposer: context.proposer,
            validatorSetHash: validatorSet.hash,
            lastCommit: self.lastCommit
        )
        var commit = Commit(height: height, round: 0, blockHash: header.hash, signatures: [])
        let vote = commit.vote(chainID: next.chainID, validator: context.proposer)
        commit.signatures = [try CommitSignature(signing: vote, with: ChainFixtures.consensusKey)]
        self.state = next
        self.commitment = commitment
        self.previousHash = header.hash
        self.lastCommit = commit
        return Produced(
            block: Block(header: header, transactions: transactions),
            encodedTransactions: encodings,
            receipts: outcome.receipts,
            changes: outcome.changes,
            commit: commit
        )
    }
}
