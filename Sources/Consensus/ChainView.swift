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
    /// Why no block is being committed, when this node cannot commit one alone: the power it holds and the
    /// validators whose votes are missing.
    public var waitingForPower: PowerShortfall?
}

/// The voting power a node lacks to commit blocks: the validators it hears sign hold ``signingPower`` of
/// ``totalPower`` and a block needs the precommits of more than two thirds; ``absent`` are the validators whose votes
/// it does not have.
public struct PowerShortfall: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A validator whose votes are missing, with its power.
    public struct AbsentValidator: Sendable, Hashable, Codable {
        /// The operator address.
        public var address: Address
        /// Its voting power.
        public var power: Amount
    }

    /// The power of the validators this node hears sign: its own alone when it decides alone, every validator it
    /// heard at the current height when it decides with others.
    public var signingPower: Amount
    /// The set's total power.
    public var totalPower: Amount
    /// The other validators, in address order.
    public var absent: [AbsentValidator]

    /// The shortfall of `set` when the validators at `present` sign, or `nil` when they hold more than two thirds.
    init?(set: ValidatorSet, present: Set<Address>) {
        let power = set.members.filter { present.contains($0.address) }.reduce(Amount(0)) { $0 + $1.power }
        guard !set.isSupermajority(power) else { return nil }
        self.signingPower = power
        self.totalPower = set.totalPower
        self.absent = set.members.filter { !present.contains($0.address) }.map { AbsentValidator(address: $0.address, power: $0.power) }
    }

    public var description: String {
        let absent = self.absent.map { "\($0.address) (\($0.power))" }.joined(separator: ", ")
        return "the validators signing hold \(self.signingPower) of \(self.totalPower) voting power and a block needs "
            + "the precommits of more than two thirds; waiting for \(absent.isEmpty ? "validators" : absent)"
    }
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
