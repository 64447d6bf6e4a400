// RecentHistoryCheck: at every start, the last stored blocks must still chain and match their headers.

import DeAICore
import Ledger
import Storage

/// The check a node runs on its last stored blocks each time it opens its database: cheap enough for every start,
/// unlike ``ChainReplay``, and enough to catch a flipped byte or an edited row in recent history.
///
/// For each of the last ``window`` blocks: its transactions hash to the header's transactions root, it names the
/// previous header's hash (the genesis hash for block 1), and it carries a commit of that previous block. The commit
/// stored with the last block must be for it, signed by more than two thirds of the power of the stored validator
/// set that signs it, whose hash the header names.
enum RecentHistoryCheck {
    /// How many of the last blocks are checked.
    static let window: Height = 16

    /// Checks the last ``window`` blocks up to `latest`.
    /// - Returns: the commit stored with block `latest`, checked, and the validator set that signed it; `nil` at
    ///   height 0.
    /// - Throws: ``ConsensusError/corruptHistory(height:reason:)`` naming the first block that does not check;
    ///   ``StorageError`` for a row that does not decode.
    static func check(
        _ database: NodeDatabase, latest: Height, genesisHash: SHA256Digest, chainID: String
    ) async throws -> (commit: Commit, signers: ValidatorSet)? {
        guard latest > 0 else { return nil }
        let first = latest > Self.window ? latest - Self.window + 1 : 1
        var previousHash = first == 1 ? genesisHash : try await database.header(at: first - 1)?.hash
        var lastHeader: BlockHeader?
        for height in first...latest {
            guard let block = try await database.block(at: height) else {
                throw ConsensusError.corruptHistory(height: height, reason: "the block is missing")
            }
            let header = block.header
            func check(_ condition: Bool, _ reason: String) throws {
                guard condition else { throw ConsensusError.corruptHistory(height: height, reason: reason) }
            }
            try check(header.height == height && header.chainID == chainID, "its header is for another height or chain")
            try check(
                Block.transactionsRoot(of: block.transactions.map(\.canonicalEncoding)) == header.transactionsRoot,
                "its transactions do not match its header's transactions root")
            if let previousHash {
                try check(header.previousBlockHash == previousHash, "it does not name the previous block's hash")
            }
            if height > 1 {
                try check(
                    header.lastCommit.map { $0.height == height - 1 && $0.blockHash == header.previousBlockHash } ?? false,
                    "it does not carry a commit of the previous block")
            }
            previousHash = header.hash
            lastHeader = header
        }
        guard let lastHeader, let commit = try await database.commit(at: latest) else {
            throw ConsensusError.corruptHistory(height: latest, reason: "its commit is missing")
        }
        guard commit.height == latest, commit.blockHash == lastHeader.hash else {
            throw ConsensusError.corruptHistory(height: latest, reason: "its stored commit is for another block")
        }
        guard let signers = try await database.validatorSet(at: latest)?.set, signers.hash == lastHeader.validatorSetHash
        else {
            throw ConsensusError.corruptHistory(height: latest, reason: "the stored validator set is not the one its header names")
        }
        do {
            try commit.verify(chainID: chainID, height: latest, blockHash: lastHeader.hash, validatorSet: signers)
        } catch {
            throw ConsensusError.corruptHistory(height: latest, reason: "its commit does not verify: \(error)")
        }
        return (commit, signers)
    }
}
