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
    }

    /// Replays `database`'s chain from `genesis`.
    /// - Parameter progress: called after each block with its height.
    /// - Throws: ``LedgerError/invalidBlock(height:reason:)`` for the first block or commit that does not check,
    ///   ``StorageError`` for unreadable data.
    public static func replay(
        database: NodeDatabase, genesis: Genesis, progress: (@Sendable (Height) -> Void)? = nil
    ) async throws -> Result {
        var state = try genesis.makeState()
        var commitment = StateCommitment(state: state)
        var previousHash = Genesis.hash(chainID: genesis.chainID, genesisTime: genesis.genesisTime, stateRoot: commitment.root)
        var previousSet = ValidatorSet(state: state)
        var transactionCount = 0
        let latest = try await database.latestHeight()
        var height: Height = 0
        while height < latest {
            height += 1
            guard let block = try await database.block(at: height) else {
                throw LedgerError.invalidBlock(height: height, reason: "the block is missing from the database")
            }
            if let lastCommit = block.header.lastCommit {
                try lastCommit.verify(chainID: genesis.chainID, height: height - 1, blockHash: previousHash, validatorSet: previousSet)
            } else if height > 1 {
                throw LedgerError.invalidBlock(height: height, reason: "it carries no commit of the previous block")
            }
            previousSet = ValidatorSet(state: state)
            _ = try BlockExecutor.execute(block, previousHash: previousHash, on: &state, commitment: &commitment)
            previousHash = block.hash
            transactionCount += block.transactions.count
            progress?(height)
        }
        if latest > 0 {
            guard let commit = try await database.commit(at: latest) else {
                throw LedgerError.invalidBlock(height: latest, reason: "its commit is missing from the database")
            }
            try commit.verify(chainID: genesis.chainID, height: latest, blockHash: previousHash, validatorSet: previousSet)
        }
        return Result(height: latest, stateRoot: commitment.root, transactionCount: transactionCount)
    }
}
