// The one error type of Consensus.

public import DeAICore
public import Ledger

/// Why the node refused a transaction for reasons of its own (not the ledger's rules), or cannot go on.
public enum ConsensusError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The mempool is at its transaction or byte limit; try again later.
    case mempoolFull(transactions: Int, bytes: Int)
    /// The same transaction is already waiting in the mempool.
    case duplicateTransaction(SHA256Digest)
    /// The database holds another chain than the genesis describes.
    case foreignChain(expected: String, found: String)
    /// The stored state does not match the stored chain.
    case corruptState(reason: String)
    /// The node stopped producing blocks after a failed commit; restart it.
    case halted(reason: String)
    /// The database is behind what this validator signed: it was lost, truncated or rolled back.
    case databaseBehindSignatures(databaseHeight: Height, signedHeight: Height)
    /// Signing was refused: it would conflict with what this validator signed before.
    case wouldDoubleSign(reason: String)
    /// The database was written by an older DeAI whose signed formats this version no longer checks.
    case olderChainFormat(found: UInt32, expected: UInt32)
    /// A stored block does not chain to the ones around it, or its transactions do not match its header.
    case corruptHistory(height: Height, reason: String)
    /// The node's validator key is not the key that signed from this home before.
    case validatorKeyChanged(signer: VerifyingKey, key: VerifyingKey)

    public var description: String {
        switch self {
        case .mempoolFull(let transactions, let bytes):
            "the mempool is full (\(transactions) transactions, \(bytes) bytes); try again later"
        case .duplicateTransaction(let hash): "transaction \(hash) is already in the mempool"
        case .foreignChain(let expected, let found):
            "the database holds chain \(found), but the genesis is for \(expected)"
        case .corruptState(let reason): "the stored state is corrupt: \(reason)"
        case .halted(let reason): "block production halted: \(reason)"
        case .databaseBehindSignatures(let databaseHeight, let signedHeight):
            "the database is at height \(databaseHeight), but this validator already signed height \(signedHeight): "
                + "the database was lost, truncated or rolled back. Restore it (from a backup, or a copy of another "
                + "node's data) before starting: from here the node would sign other blocks at heights it already "
                + "signed, a double-sign"
        case .wouldDoubleSign(let reason): "refused to sign: \(reason)"
        case .olderChainFormat(let found, let expected):
            "the database was written by an older DeAI (chain format \(found); this version writes format "
                + "\(expected), whose votes are signed differently), so its signatures cannot be checked: "
                + "re-initialize the home with `deai init --force` (the chain starts again), or run the older version"
        case .corruptHistory(let height, let reason):
            "the stored chain is broken at block \(height): \(reason). Run `deai replay` to audit it, and restore the "
                + "database from a backup or a peer"
        case .validatorKeyChanged(let signer, let key):
            "the validator key file holds \(key), but the signing record shows this home's validator signed with "
                + "\(signer): the key file was replaced, perhaps with another node's key, and two nodes signing with one "
                + "key double-sign. Put this home's key back, or give the node a home of its own with `deai init`"
        }
    }
}
