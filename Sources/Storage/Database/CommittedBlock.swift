// What one block commit writes.

import DeAICore
public import Ledger

/// Everything one block commit writes, in one transaction.
public struct CommittedBlock: Sendable {
    /// The block.
    public var block: Block
    /// The canonical encodings of its transactions, in order (as received; they are what is stored).
    public var encodedTransactions: [[UInt8]]
    /// One receipt per transaction.
    public var receipts: [TransactionReceipt]
    /// The state entries the block changed, sorted by key.
    public var changes: [StateChange]
    /// The precommit signatures that finalized it.
    public var commit: Commit
    /// The validator set that signs the next block, when the block changed it (its header's next validator set
    /// hash then differs from its validator set hash); `nil` when the set is unchanged.
    public var nextValidatorSet: ValidatorSet?

    /// A commit record with every field given.
    public init(
        block: Block, encodedTransactions: [[UInt8]], receipts: [TransactionReceipt], changes: [StateChange],
        commit: Commit, nextValidatorSet: ValidatorSet? = nil
    ) {
        self.block = block
        self.encodedTransactions = encodedTransactions
        self.receipts = receipts
        self.changes = changes
        self.commit = commit
        self.nextValidatorSet = nextValidatorSet
    }
}

/// A transaction read back from the database, with its receipt (which names its block and position).
public struct StoredTransaction: Sendable, Hashable {
    /// The transaction.
    public var transaction: Transaction
    /// Its receipt.
    public var receipt: TransactionReceipt

    /// A stored transaction with every field given.
    public init(transaction: Transaction, receipt: TransactionReceipt) {
        self.transaction = transaction
        self.receipt = receipt
    }
}
