// APITypes: the body of POST /v1/txs and its answers.

public import DeAICore

/// The body of `POST /v1/txs`: one transaction (`tx`) or a batch (`txs`), each the hex of its canonical encoding.
///
/// ```json
/// {"tx": "0a6465616…"}
/// {"txs": ["0a6465616…", "0a6465616…"]}
/// ```
public struct SubmitRequest: Codable, Sendable, Hashable {
    /// One transaction, as hex.
    public var tx: String?
    /// A batch of transactions, as hex, admitted in order (so one sender's nonces may follow each other).
    public var txs: [String]?

    /// A request for one transaction.
    public init(transaction encoding: [UInt8]) {
        self.tx = encoding.hexString
    }

    /// A request for a batch of transactions.
    public init(transactions encodings: [[UInt8]]) {
        self.txs = encodings.map(\.hexString)
    }
}

/// The answer for one submitted transaction: its hash when admitted, its receipt when committed (with
/// `?wait=true`), or the error that refused it (only inside a batch: a single refused transaction gets an error
/// response).
public struct SubmitResult: Codable, Sendable, Hashable {
    /// The transaction's hash, when the mempool admitted it.
    public var hash: SHA256Digest?
    /// The receipt, when the transaction was committed before the wait ended.
    public var receipt: ReceiptView?
    /// Why the transaction was refused.
    public var error: APIErrorBody.Detail?

    /// A result with every field given.
    public init(hash: SHA256Digest? = nil, receipt: ReceiptView? = nil, error: APIErrorBody.Detail? = nil) {
        self.hash = hash
        self.receipt = receipt
        self.error = error
    }
}

/// The answer to a batch: one result per transaction, in the order sent.
public struct SubmitBatchResult: Codable, Sendable, Hashable {
    /// How many transactions the mempool admitted.
    public var accepted: Int
    /// How many it refused.
    public var rejected: Int
    /// The results, in the order of `txs`.
    public var results: [SubmitResult]

    /// The answer holding `results`.
    public init(results: [SubmitResult]) {
        self.results = results
        self.accepted = results.count(where: { $0.hash != nil })
        self.rejected = results.count - self.accepted
    }
}
