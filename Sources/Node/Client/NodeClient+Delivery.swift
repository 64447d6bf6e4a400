// Delivering a transaction: submitting it until a block holds it.

public import APITypes
import DeAICore
public import Ledger

extension NodeClient {
    /// Submits `transaction` and waits until a block holds it; returns its receipt, which may record a failed
    /// payload.
    ///
    /// A node can lose a transaction it admitted — it crashed, its relay to the proposer was dropped, the proposer
    /// found it invalid when it built its block — and a client that only waits then waits for ever. So while no
    /// block holds it, the same signed bytes are submitted again every `resubmitInterval`: one transaction commits
    /// at most once, whichever copy a proposer takes.
    /// - Throws: ``NodeClientError``: the node's refusal (other than "already in the mempool", which means it is
    ///   still waiting there), or `invalidResponse` when no block holds it within `timeout`.
    public func deliver(
        _ transaction: Transaction, timeout: Duration = .seconds(300), resubmitInterval: Duration = .seconds(10)
    ) async throws(NodeClientError) -> ReceiptView {
        let deadline = ContinuousClock.now + timeout
        while true {
            do {
                if let receipt = try await self.submit(transaction, wait: true, waitTimeout: resubmitInterval).receipt {
                    return receipt
                }
            } catch .apiError(_, _, _, let name, _) where name == "duplicate_transaction" {
                // Still in the node's mempool: wait a little before asking again.
                try? await Task.sleep(for: .seconds(1))
            } catch .apiError(_, _, _, let name, _) where name == "nonce_already_used" {
                // A block used the nonce meanwhile: this transaction's, or another's with the same nonce.
                if let committed = try await self.committedTransaction(transaction.hash) { return committed.receipt }
                throw .apiError(
                    request: "POST /v1/txs", status: 400, code: 106, name: name,
                    message: "another transaction of the sender was committed with nonce \(transaction.body.nonce)")
            }
            if let committed = try await self.committedTransaction(transaction.hash) { return committed.receipt }
            guard ContinuousClock.now < deadline else {
                throw .invalidResponse(
                    request: "POST /v1/txs", reason: "transaction \(transaction.hash) was not committed within \(timeout)")
            }
        }
    }

    /// `GET /v1/txs/{hash}`, `nil` when no block holds it (404).
    private func committedTransaction(_ hash: SHA256Digest) async throws(NodeClientError) -> TransactionView? {
        do {
            return try await self.transaction(hash)
        } catch where error.isNotFound {
            return nil
        }
    }
}
