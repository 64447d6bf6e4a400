// APITypes: the node's status in JSON.

public import DeAICore
public import Ledger

/// What the node reports about its chain.
public struct StatusView: Codable, Sendable, Hashable {
    /// The chain's identifier.
    public var chainID: String
    /// The latest committed height (0 before the first block).
    public var height: Height
    /// The latest block's hash (absent at height 0).
    public var latestBlockHash: SHA256Digest?
    /// The latest block's time (the genesis time at height 0), in milliseconds since 1970.
    public var latestBlockTime: UInt64
    /// The committed state root.
    public var stateRoot: SHA256Digest
    /// The hash block 1 names as its previous block.
    public var genesisHash: SHA256Digest
    /// Transactions waiting in the mempool.
    public var mempoolTransactions: Int
    /// Bytes waiting in the mempool.
    public var mempoolBytes: Int
    /// This node's validator address, when it is a validator.
    public var validatorAddress: Address?
    /// Present when this node cannot commit blocks: the voting power it holds and whose votes it waits for.
    public var waitingForPower: PowerShortfallView?

    private enum CodingKeys: String, CodingKey {
        case height
        case chainID = "chain_id", latestBlockHash = "latest_block_hash", latestBlockTime = "latest_block_time"
        case stateRoot = "state_root", genesisHash = "genesis_hash", mempoolTransactions = "mempool_transactions"
        case mempoolBytes = "mempool_bytes", validatorAddress = "validator_address", waitingForPower = "waiting_for_power"
    }

    /// A status with every field given.
    public init(
        chainID: String, height: Height, latestBlockHash: SHA256Digest?, latestBlockTime: UInt64,
        stateRoot: SHA256Digest, genesisHash: SHA256Digest, mempoolTransactions: Int, mempoolBytes: Int,
        validatorAddress: Address?, waitingForPower: PowerShortfallView? = nil
    ) {
        self.chainID = chainID
        self.height = height
        self.latestBlockHash = latestBlockHash
        self.latestBlockTime = latestBlockTime
        self.stateRoot = stateRoot
        self.genesisHash = genesisHash
        self.mempoolTransactions = mempoolTransactions
        self.mempoolBytes = mempoolBytes
        self.validatorAddress = validatorAddress
        self.waitingForPower = waitingForPower
    }
}

/// The voting power a node lacks to commit blocks: it holds ``signingPower`` of ``totalPower``, a block needs the
/// precommits of more than two thirds, and ``absent`` lists the validators whose votes are missing.
public struct PowerShortfallView: Codable, Sendable, Hashable {
    /// A validator whose votes are missing.
    public struct AbsentValidator: Codable, Sendable, Hashable {
        /// Its operator address.
        public var address: Address
        /// Its voting power.
        public var power: Amount

        /// A validator with every field given.
        public init(address: Address, power: Amount) {
            self.address = address
            self.power = power
        }
    }

    /// The power of this node's validator (0 when its key is not in the set).
    public var signingPower: Amount
    /// The set's total power.
    public var totalPower: Amount
    /// The validators whose votes are missing, in address order.
    public var absent: [AbsentValidator]

    private enum CodingKeys: String, CodingKey {
        case signingPower = "signing_power", totalPower = "total_power", absent
    }

    /// A shortfall with every field given.
    public init(signingPower: Amount, totalPower: Amount, absent: [AbsentValidator]) {
        self.signingPower = signingPower
        self.totalPower = totalPower
        self.absent = absent
    }
}
