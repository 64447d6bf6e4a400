// APITypes: a block in JSON.

public import DeAICore
public import Ledger

/// A committed block: its hash, header, the hashes of its transactions, and the commit that made it final.
public struct BlockView: Codable, Sendable, Hashable {
    /// The block's hash (its header's).
    public var hash: SHA256Digest
    /// The header.
    public var header: HeaderView
    /// The number of transactions.
    public var transactionCount: Int
    /// The transactions' hashes, in execution order; `GET /v1/txs/{hash}` gives each one.
    public var transactions: [SHA256Digest]
    /// The commit of this block; absent when the node has not stored it.
    public var commit: CommitView?

    private enum CodingKeys: String, CodingKey {
        case hash, header, transactions, commit, transactionCount = "transaction_count"
    }

    /// The view of `block`, committed by `commit`.
    public init(_ block: Block, commit: Commit?) {
        self.hash = block.hash
        self.header = HeaderView(block.header)
        self.transactionCount = block.transactions.count
        self.transactions = block.transactions.map(\.hash)
        self.commit = commit.map(CommitView.init)
    }
}
