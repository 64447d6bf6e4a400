// APITypes: a block header in JSON, convertible back to the ledger's header so a client can recheck its hash.

public import DeAICore
public import Ledger

/// A block header. ``header`` rebuilds the ledger's ``Ledger/BlockHeader``, whose hash a client compares with the
/// block hash it was given, and whose `state_root` it checks proofs against.
public struct HeaderView: Codable, Sendable, Hashable {
    /// The chain's identifier.
    public var chainID: String
    /// The block's height.
    public var height: Height
    /// The proposer's time, in milliseconds since 1970.
    public var time: UInt64
    /// The previous block's hash (the genesis hash at height 1).
    public var previousBlockHash: SHA256Digest
    /// The Merkle root of the block's transactions.
    public var transactionsRoot: SHA256Digest
    /// The Merkle root of the state after the block.
    public var stateRoot: SHA256Digest
    /// The Merkle root of the block's receipts.
    public var receiptsRoot: SHA256Digest
    /// The proposer's operator address.
    public var proposer: Address
    /// The hash of the validator set that signs the block.
    public var validatorSetHash: SHA256Digest
    /// The hash of the validator set that signs the next block.
    public var nextValidatorSetHash: SHA256Digest
    /// The commit of the previous block (absent at height 1).
    public var lastCommit: CommitView?

    private enum CodingKeys: String, CodingKey {
        case height, time, proposer
        case chainID = "chain_id", previousBlockHash = "previous_block_hash"
        case transactionsRoot = "transactions_root", stateRoot = "state_root", receiptsRoot = "receipts_root"
        case validatorSetHash = "validator_set_hash", nextValidatorSetHash = "next_validator_set_hash"
        case lastCommit = "last_commit"
    }

    /// The view of `header`.
    public init(_ header: BlockHeader) {
        self.chainID = header.chainID
        self.height = header.height
        self.time = header.time
        self.previousBlockHash = header.previousBlockHash
        self.transactionsRoot = header.transactionsRoot
        self.stateRoot = header.stateRoot
        self.receiptsRoot = header.receiptsRoot
        self.proposer = header.proposer
        self.validatorSetHash = header.validatorSetHash
        self.nextValidatorSetHash = header.nextValidatorSetHash
        self.lastCommit = header.lastCommit.map(CommitView.init)
    }

    /// The ledger's header.
    public var header: BlockHeader {
        BlockHeader(
            chainID: self.chainID, height: self.height, time: self.time, previousBlockHash: self.previousBlockHash,
            transactionsRoot: self.transactionsRoot, stateRoot: self.stateRoot, receiptsRoot: self.receiptsRoot,
            proposer: self.proposer, validatorSetHash: self.validatorSetHash,
            nextValidatorSetHash: self.nextValidatorSetHash, lastCommit: self.lastCommit?.commit
        )
    }
}
