// ChainCore: the deterministic heart of a node's chain — propose, validate and apply decided blocks.

public import DeAICore
public import Ledger

/// The decided chain of one node as a value: the state after the last decided block, its Merkle commitment, that
/// block's header and commit. It proposes blocks, validates blocks others propose, and applies a block once a
/// commit decides it. It reads no clock, touches no storage and does no I/O: the same calls give the same results
/// on every node, which is what a consensus protocol and its simulator need.
///
/// ```swift
/// var core = ChainCore(genesisHash: hash, state: genesisState)
/// let proposal = core.propose(from: candidates, time: now, proposer: me)
/// let commit = try signedCommit(for: proposal.block.header)
/// try core.apply(proposal.executed, commit: commit)
/// ```
public struct ChainCore: Sendable {
    /// The chain's identifier.
    public let chainID: String
    /// The hash block 1 names as its previous block.
    public let genesisHash: SHA256Digest
    /// The state after the last decided block.
    public private(set) var state: LedgerState
    /// Its Merkle commitment.
    public private(set) var commitment: StateCommitment
    /// The last decided header; `nil` at height 0.
    public private(set) var header: BlockHeader?
    /// The commit that decided ``header``, as this node gathered it; `nil` at height 0.
    public private(set) var lastCommit: Commit?
    /// The validators that decided ``header``, against which the next block's commit of it is checked.
    public private(set) var lastValidators: ValidatorSet?

    /// A core at a decided point of the chain: genesis (`header` and `lastCommit` `nil`) or a stored block.
    ///
    /// - Parameter lastValidators: the validators that decided `header`; by default the set of `state`, which is
    ///   the same unless the last block changed the set.
    /// - Precondition: `commitment` is `state`'s and `header`, when given, is the block at `state`'s height.
    public init(
        genesisHash: SHA256Digest, state: LedgerState, commitment: StateCommitment? = nil, header: BlockHeader? = nil,
        lastCommit: Commit? = nil, lastValidators: ValidatorSet? = nil
    ) {
        self.chainID = state.chainID
        self.genesisHash = genesisHash
        self.state = state
        self.commitment = commitment ?? StateCommitment(state: state)
        self.header = header
        self.lastCommit = lastCommit
        self.lastValidators = header == nil ? nil : lastValidators ?? ValidatorSet(state: state)
    }

    /// The last decided height.
    public var height: Height { self.header?.height ?? 0 }

    /// The hash the next block names as its previous block.
    public var previousBlockHash: SHA256Digest { self.header?.hash ?? self.genesisHash }

    /// The validators that decide the next block.
    public var validatorSet: ValidatorSet { ValidatorSet(state: self.state) }

    // MARK: - Proposing

    /// The block `proposer` proposes at `time` from `candidates` (signatures already verified, in mempool order),
    /// executed against the decided state.
    ///
    /// - Parameters:
    ///   - candidates: transactions to include; invalid ones are left out (``ProposedBlock/dropped``), those beyond the
    ///     block's capacity are returned in ``ProposedBlock/deferred``.
    ///   - time: the proposer's clock in milliseconds since 1970; a time before the previous block's is raised to it.
    ///   - proposer: the proposing validator's operator address.
    /// - Complexity: the cost of applying the included transactions, plus O(c log n) to commit c changed entries.
    public func propose(from candidates: [VerifiedTransaction], time: UInt64, proposer: Address) -> ProposedBlock {
        let context = BlockContext(
            height: self.height + 1, time: max(time, self.state.globals.blockTime), proposer: proposer,
            previousBlockHash: self.previousBlockHash)
        var next = self.state
        let built = StateTransition.buildBlock(from: candidates, on: &next, context: context)
        var commitment = self.commitment
        commitment.apply(built.outcome.changes)
        let encodings = built.transactions.map(\.encoding)
        let header = BlockHeader(
            chainID: self.chainID, height: context.height, time: context.time, previousBlockHash: context.previousBlockHash,
            transactionsRoot: Block.transactionsRoot(of: encodings), stateRoot: commitment.root,
            receiptsRoot: Block.receiptsRoot(of: built.outcome.receipts), proposer: proposer,
            validatorSetHash: self.validatorSet.hash, nextValidatorSetHash: ValidatorSet(state: next).hash,
            lastCommit: self.lastCommit)
        let executed = ExecutedBlock(
            block: Block(header: header, transactions: built.transactions.map(\.transaction)), encodings: encodings,
            outcome: built.outcome, state: next, commitment: commitment)
        return ProposedBlock(executed: executed, dropped: built.dropped, deferred: built.deferred)
    }

    // MARK: - Validating

    /// Executes `block`, proposed by another validator or read from storage, against the decided state, checking
    /// everything its header claims (``BlockExecutor/execute(_:previousHash:on:commitment:)``) and that it carries
    /// a commit of the previous block by more than two thirds of the validators that decided it (not necessarily
    /// the same signatures as this node's ``lastCommit``: the proposer's).
    /// - Throws: ``LedgerError/invalidBlock(height:reason:)`` or the 1xx ``LedgerError`` of an invalid transaction.
    public func validate(_ block: Block) throws(LedgerError) -> ExecutedBlock {
        if let lastValidators = self.lastValidators {
            guard let commit = block.header.lastCommit else {
                throw .invalidBlock(height: block.header.height, reason: "it carries no commit of block \(self.height)")
            }
            try commit.verify(
                chainID: self.chainID, height: self.height, blockHash: self.previousBlockHash, validatorSet: lastValidators)
        } else if block.header.lastCommit != nil {
            throw .invalidBlock(height: block.header.height, reason: "the first block carries a commit")
        }
        var state = self.state
        var commitment = self.commitment
        let outcome = try BlockExecutor.execute(block, previousHash: self.previousBlockHash, on: &state, commitment: &commitment)
        return ExecutedBlock(
            block: block, encodings: block.transactions.map(\.canonicalEncoding), outcome: outcome, state: state,
            commitment: commitment)
    }

    // MARK: - Applying

    /// Makes `executed` the decided block, once `commit` shows that more than two thirds of the current validators'
    /// power precommitted it.
    /// - Throws: ``LedgerError/invalidBlock(height:reason:)`` when `executed` does not follow the decided block or
    ///   `commit` does not decide it; the core is then unchanged.
    public mutating func apply(_ executed: ExecutedBlock, commit: Commit) throws(LedgerError) {
        let header = executed.block.header
        guard header.height == self.height + 1, header.previousBlockHash == self.previousBlockHash else {
            throw .invalidBlock(height: header.height, reason: "it does not follow block \(self.height)")
        }
        let validators = self.validatorSet
        try commit.verify(chainID: self.chainID, height: header.height, blockHash: header.hash, validatorSet: validators)
        self.lastValidators = validators
        self.state = executed.state
        self.commitment = executed.commitment
        self.header = header
        self.lastCommit = commit
    }
}

/// A block executed against the state it extends, ready to be decided: the block, its transactions' encodings, the
/// receipts and changes, and the state and commitment after it.
public struct ExecutedBlock: Sendable {
    /// The block.
    public let block: Block
    /// Its transactions' canonical encodings, in block order.
    public let encodings: [[UInt8]]
    /// Its receipts and state changes.
    public let outcome: BlockOutcome
    /// The state after it.
    public let state: LedgerState
    /// That state's commitment; its root is the header's `stateRoot`.
    public let commitment: StateCommitment
}

/// A block a proposer built, with what it left out.
public struct ProposedBlock: Sendable {
    /// The executed block.
    public let executed: ExecutedBlock
    /// Candidates left out because they had become invalid, with why.
    public let dropped: [(transaction: VerifiedTransaction, reason: LedgerError)]
    /// Valid candidates that did not fit; they wait for the next block.
    public let deferred: [VerifiedTransaction]

    /// The proposed block.
    public var block: Block { self.executed.block }
}
