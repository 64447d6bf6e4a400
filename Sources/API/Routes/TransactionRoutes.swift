// API: POST /v1/txs and GET /v1/txs/{hash}.

import APITypes
import Consensus
import DeAICore
import Hummingbird
import Ledger
import Logging
import NIOCore
import Storage

/// Submitting transactions, one or a batch, optionally waiting for their receipts; reading a committed one.
struct TransactionRoutes {
    /// The longest wait a client may ask for, in milliseconds.
    static let maxWaitMilliseconds = 60_000

    let chain: Chain
    let maxBodyBytes: Int
    /// The bound on submissions waiting for their receipts at once.
    let waiting: WaitingRequests

    func register(on router: Router<APIRequestContext>) {
        router.post("/v1/txs") { request, context in
            try await self.submit(request, context: context)
        }
        router.get("/v1/txs/:hash") { _, context in
            try await self.transaction(context: context)
        }
    }

    /// `POST /v1/txs[?wait=true&wait_timeout_ms=N]`: 202 with the hash once admitted, 200 with the receipt too
    /// when it was committed within the wait; a batch always gets 200 with a result per transaction.
    private func submit(_ request: Request, context: APIRequestContext) async throws -> Response {
        let wait = try request.flag("wait")
        let timeout = try request.integer("wait_timeout_ms", default: 10_000, in: 0...Self.maxWaitMilliseconds)
        let body = try await request.decodeJSON(as: SubmitRequest.self, maxBytes: self.maxBodyBytes)
        switch (body.tx, body.txs) {
        case (let hex?, nil):
            let hash = try await self.admit([hex])[0].get()
            let result = await self.withReceipts(
                [SubmitResult(hash: hash)], wait: wait, timeout: timeout, client: context.channel)[0]
            return try JSONResponse.make(result, status: result.receipt == nil ? .accepted : .ok)
        case (nil, let batch?) where !batch.isEmpty:
            let results = await self.admit(batch).map { outcome in
                switch outcome {
                case .success(let hash): return SubmitResult(hash: hash)
                case .failure(let error):
                    let refusal = apiError(for: error, request: request, logger: context.logger).errorDetail
                    context.logger.debug("transaction refused", metadata: ["tx.error": "\(refusal.name)"])
                    return SubmitResult(error: refusal)
                }
            }
            let answered = await self.withReceipts(results, wait: wait, timeout: timeout, client: context.channel)
            return try JSONResponse.make(SubmitBatchResult(results: answered))
        default:
            throw APIError(.badBody, "the body must hold either \"tx\" (one transaction) or a non-empty \"txs\"")
        }
    }

    /// Reads every transaction's hexadecimal and hands the batch to the chain, which verifies all signatures at
    /// once and admits the valid transactions in the order sent.
    /// - Returns: each transaction's hash, or why it was refused, in the order of `hexes`.
    private func admit(_ hexes: [String]) async -> [Result<SHA256Digest, any Error>] {
        let encodings = hexes.map { hex in
            Result<[UInt8], CodecError> { () throws(CodecError) in try [UInt8](hexString: hex) }.mapError { error -> any Error in
                APIError(.badBody, "the transaction is not hexadecimal: \(error.description)")
            }
        }
        var submitted = await self.chain.submit(encodings: encodings.compactMap { try? $0.get() }).makeIterator()
        return encodings.map { encoding in encoding.flatMap { _ in submitted.next()! } }
    }

    /// `results` with the receipts of the admitted transactions, waited for together, when `wait` is set. When
    /// the node already holds its limit of waiting requests, the answer comes at once without receipts: the
    /// transactions are admitted, and refusing the answer then would only make the client send them again.
    private func withReceipts(
        _ results: [SubmitResult], wait: Bool, timeout: Int, client: any Channel
    ) async -> [SubmitResult] {
        guard wait else { return results }
        let waited = try? await self.waiting.wait(for: client) {
            var results = results
            await withTaskGroup(of: (Int, TransactionReceipt?).self) { group in
                for (index, result) in results.enumerated() {
                    guard let hash = result.hash else { continue }
                    group.addTask {
                        (index, await self.chain.waitForReceipt(hash, timeout: .milliseconds(timeout)))
                    }
                }
                for await (index, receipt) in group {
                    results[index].receipt = receipt.map(ReceiptView.init)
                }
            }
            return results
        }
        return waited ?? results
    }

    /// `GET /v1/txs/{hash}`: a committed transaction with its receipt, or 404.
    private func transaction(context: APIRequestContext) async throws -> Response {
        let hash = try context.digestParameter("hash")
        guard let stored = try await self.chain.database.transaction(hash) else {
            throw APIError(.notFound, "no committed transaction has hash \(hash)")
        }
        return try JSONResponse.make(TransactionView(stored.transaction, receipt: stored.receipt))
    }
}
