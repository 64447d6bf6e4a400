// Re-executing a stored chain from genesis.

public import DeAICore
public import Ledger
public import Storage

/// Re-executes every block stored in a database from genesis, checking each block and each commit: an audit that
/// the stored state is exactly what the stored blocks produce.
public enum ChainReplay {
    /// The outcome of a replay.
    public struct Result: Sendable, Hashable {
        /// The height replayed to.
        public var height: Height
        /// The state root after the last block.
        public var stateRoot: SHA256Digest
        /// The number of transactions re-executed.
        public var transactionCount: Int
        /// The supply the state records (``Ledger/GlobalState/totalSupply``).
        public var totalSupply: Amount
        /// The tokens the state holds: balances, stakes, unbondings, deposits, escrows and the treasury
        /// (``Ledger/LedgerState/accountedSupply``); equal to ``totalSupply`` unless tokens were made or lost.
        public var accountedSupply: Amount
    }

    /// Replays `database`'s chain from `genesis`.
    /// - Parameter progress: called after each block with its height.
    /// - Throws: ``LedgerError/invalidBlock(height:reason:)`` for the first block or commit that does not check,
    ///   ``ConsensusError/olderChainFormat(found:expected:)`` for a database of an older format, ``StorageError``
    ///   for unreadable data.
    public static func replay(
        database: NodeDatabase, genesis: Genesis, progress: (@Sendable (Height) -> Void)? = nil
    ) async throws -> Result {
        if let metadata = try await database.metadata(), metadata.format < NodeDatabase.ChainMetadata.currentFormat {
            throw ConsensusError.olderChainFormat(found: metadata.format, expected: NodeDatabase.ChainMetadata.currentFormat)
        }
        let state = try genesis.makeState()
        let commitment = StateCommitment(state: state)
        var core = ChainCore(
            genesisHash: Genesis.hash(chainID: genesis.chainID, genesisTime: genesis.genesisTime, stateRoot: commitment.root),
            state: state, commitment: commitment)
        var transactionCount = 0
        let latest = try await database.latestHeight()
        // A block is decided by the commit the next block carries; the last one by the commit stored beside it.
        var pending: ExecutedBlock?
        var height: Height = 0
        while height < latest {
            height += 1
            guard let block = try await database.block(at: height) else {
                throw LedgerError.invalidBlock(height: height, reason: "the block is missing from the database")
            }
            if let pending {
                guard let commit = block.header.lastCommit else {
                    throw LedgerError.invalidBlock(height: height, reason: "it carries no commit of the previous block")
                }
                try core.apply(pending, commit: commit)
                progress?(height - 1)
            }
            pending = try core.validate(block)
            transactionCount += block.transactions.count
        }
        if let pending {
            guard let commit = try await database.commit(at: latest) else {
                throw LedgerError.invalidBlock(height: latest, reason: "its commit is missing from the database")
            }
            try core.apply(pending, commit: commit)
            progress?(latest)
        }
        return Result(
            height: latest, stateRoot: core.commitment.root, transactionCount: transactionCount,
            totalSupply: core.state.globals.totalSupply, accountedSupply: core.state.accountedSupply)
    }
}
