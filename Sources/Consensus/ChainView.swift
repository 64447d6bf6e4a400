// A consistent snapshot of the committed chain, for queries.

public import DeAICore
public import Ledger

/// The state after the latest committed block, with its commitment and header: what queries and proofs read.
public struct ChainView: Sendable {
    /// The committed state.
    public let state: LedgerState
    /// Its Merkle commitment; ``StateCommitment/root`` equals ``header``'s `stateRoot`.
    public let commitment: StateCommitment
    /// The latest committed header; `nil` at height 0.
    public let header: BlockHeader?

    /// A view with every field given.
    public init(state: LedgerState, commitment: StateCommitment, header: BlockHeader?) {
        self.state = state
        self.commitment = commitment
        self.header = header
    }

    /// The committed height.
    public var height: Height { self.header?.height ?? 0 }

    /// A proof of `address`'s account (or of its absence) against ``header``'s state root.
    public func accountProof(_ address: Address) -> StateProof {
        self.commitment.proof(for: .account(address))
    }
}

/// What a node reports about its chain.
public struct ChainStatus: Sendable, Hashable, Codable {
    /// The chain's identifier.
    public var chainID: String
    /// The latest committed height.
    public var height: Height
    /// The latest committed block's hash.
    public var latestBlockHash: SHA256Digest?
    /// The latest committed block's time (the genesis time at height 0).
    public var latestBlockTime: UInt64
    /// The committed state root.
    public var stateRoot: SHA256Digest
    /// The hash block 1 names as its previous block.
    public var genesisHash: SHA256Digest
    /// Transactions waiting in the mempool.
    public var mempoolTransactions: Int
    /// Bytes waiting in the mempool.
    public var mempoolBytes: Int
    /// This node's validator operator address, when it is a validator.
    public var validatorAddress: Address?
}

/// Settings of the chain engine.
public struct ChainConfiguration: Sendable, Hashable {
    /// Mempool limits.
    public var mempool: MempoolConfiguration
    /// Most transactions this node puts in a block it proposes (the chain parameter caps it too).
    public var maxBlockTransactions: Int
    /// How many recent blocks' receipts are kept in memory for waiting clients.
    public var recentReceiptBlocks: Int

    /// Settings with defaults.
    public init(mempool: MempoolConfiguration = MempoolConfiguration(), maxBlockTransactions: Int = 20_000, recentReceiptBlocks: Int = 8) {
        self.mempool = mempool
        self.maxBlockTransactions = maxBlockTransactions
        self.recentReceiptBlocks = recentReceiptBlocks
    }
}
