// The header of a block: what a light client needs to check a proof.

public import DeAICore

/// The header of a block. Its hash identifies the block; validators sign that hash in their votes.
public struct BlockHeader: Sendable, Hashable, Codable {
    /// The chain's identifier.
    public var chainID: String
    /// The block's height; the first block after genesis is 1.
    public var height: Height
    /// The proposer's clock when it proposed the block, in milliseconds since 1970. Never before the previous
    /// block's time. The rules read time only from here, never from a local clock.
    public var time: UInt64
    /// The hash of the previous block's header (the genesis hash for height 1).
    public var previousBlockHash: SHA256Digest
    /// Merkle root of the block's transactions (leaves are their canonical encodings).
    public var transactionsRoot: SHA256Digest
    /// Merkle root of the state after this block (see ``StateCommitment``).
    public var stateRoot: SHA256Digest
    /// Merkle root of this block's receipts (leaves are their committed encodings, without the message).
    public var receiptsRoot: SHA256Digest
    /// The operator address of the validator that proposed the block.
    public var proposer: Address
    /// Hash of the validator set that signs this block (``ValidatorSet/hash``).
    public var validatorSetHash: SHA256Digest
    /// Hash of the validator set that signs the next block: the set of the state after this block. A light client
    /// that trusts this header learns from it which set to trust next, so it follows validator-set changes
    /// without trusting the node that serves them.
    public var nextValidatorSetHash: SHA256Digest
    /// The +2/3 precommit signatures that committed the previous block (`nil` for height 1).
    public var lastCommit: Commit?

    /// A header with every field given.
    public init(
        chainID: String, height: Height, time: UInt64, previousBlockHash: SHA256Digest,
        transactionsRoot: SHA256Digest, stateRoot: SHA256Digest, receiptsRoot: SHA256Digest, proposer: Address,
        validatorSetHash: SHA256Digest, nextValidatorSetHash: SHA256Digest, lastCommit: Commit?
    ) {
        self.chainID = chainID
        self.height = height
        self.time = time
        self.previousBlockHash = previousBlockHash
        self.transactionsRoot = transactionsRoot
        self.stateRoot = stateRoot
        self.receiptsRoot = receiptsRoot
        self.proposer = proposer
        self.validatorSetHash = validatorSetHash
        self.nextValidatorSetHash = nextValidatorSetHash
        self.lastCommit = lastCommit
    }

    /// The block's identity: SHA-256 of the header's canonical encoding, domain-separated.
    public var hash: SHA256Digest { SHA256Digest(domain: "deai/block", hashing: self.canonicalEncoding) }
}

extension BlockHeader: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.chainID)
        encoder.encode(self.height)
        encoder.encode(self.time)
        encoder.encode(self.previousBlockHash)
        encoder.encode(self.transactionsRoot)
        encoder.encode(self.stateRoot)
        encoder.encode(self.receiptsRoot)
        encoder.encode(self.proposer)
        encoder.encode(self.validatorSetHash)
        encoder.encode(self.nextValidatorSetHash)
        encoder.encode(self.lastCommit)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.chainID = try decoder.decodeString(maxBytes: 64)
        self.height = try decoder.decodeUInt64()
        self.time = try decoder.decodeUInt64()
        self.previousBlockHash = try decoder.decode(SHA256Digest.self)
        self.transactionsRoot = try decoder.decode(SHA256Digest.self)
        self.stateRoot = try decoder.decode(SHA256Digest.self)
        self.receiptsRoot = try decoder.decode(SHA256Digest.self)
        self.proposer = try decoder.decode(Address.self)
        self.validatorSetHash = try decoder.decode(SHA256Digest.self)
        self.nextValidatorSetHash = try decoder.decode(SHA256Digest.self)
        self.lastCommit = try decoder.decodeOptional(Commit.self)
    }
}

/// A block: a header and the transactions it orders.
public struct Block: Sendable, Hashable {
    /// The header.
    public var header: BlockHeader
    /// The transactions, in execution order.
    public var transactions: [Transaction]

    /// A block with every field given.
    public init(header: BlockHeader, transactions: [Transaction]) {
        self.header = header
        self.transactions = transactions
    }

    /// The block's hash (its header's).
    public var hash: SHA256Digest { self.header.hash }

    /// The Merkle root of `encodedTransactions`, as stored in ``BlockHeader/transactionsRoot``.
    public static func transactionsRoot(of encodedTransactions: [[UInt8]]) -> SHA256Digest {
        MerkleTree.root(leaves: encodedTransactions)
    }

    /// The Merkle root of `receipts`, as stored in ``BlockHeader/receiptsRoot``.
    public static func receiptsRoot(of receipts: [TransactionReceipt]) -> SHA256Digest {
        MerkleTree.root(leaves: receipts.map(\.committedEncoding))
    }
}

extension Block: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.header)
        encoder.encode(self.transactions)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.header = try decoder.decode(BlockHeader.self)
        self.transactions = try decoder.decodeArray(of: Transaction.self)
    }
}
