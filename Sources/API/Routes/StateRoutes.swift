// API: GET /v1/state/{key}: any state entry with its proof, long-polled for a change.

import APITypes
import Consensus
import DeAICore
import HTTPTypes
import Hummingbird
import Ledger
import ServiceLifecycle

/// Reading any entry of the committed state by its key bytes, with the proof a light client checks against a
/// block header, and waiting for it to change: how participants follow a task without asking every block.
struct StateRoutes {
    let chain: Chain
    /// The bound on long-polls waiting at once.
    let waiting: WaitingRequests

    func register(on router: Router<APIRequestContext>) {
        router.get("/v1/state/:key") { request, context in
            try await self.entry(request, context: context)
        }
    }

    /// `GET /v1/state/{key}[?changed_from=HASH&timeout_ms=N]`: the entry under `key` (hex of its state-key
    /// bytes) and its proof, in JSON or, for `Accept: application/octet-stream`, as a canonical
    /// ``StateEntryRecord``. With `changed_from` (the `value_hash` a client last saw), the answer waits until
    /// the entry's value hash differs, or `timeout_ms` (default 10,000, at most 60,000) has passed, or the
    /// server shuts down.
    private func entry(_ request: Request, context: APIRequestContext) async throws -> Response {
        let key: StateKey = try context.pathParameter("key", expected: "the hex of a state key") { raw in
            (try? [UInt8](hexString: raw)).flatMap { try? StateKey(bytes: $0) }
        }
        var view = await self.chain.view
        var value = view.state.encodedValue(for: key)
        if let raw = request.uri.queryParameters[Substring("changed_from")].map(String.init) {
            guard let since = try? SHA256Digest(hexString: raw) else {
                throw APIError(.badQuery, "changed_from=\(raw) is not a value hash (64 hex digits)")
            }
            let timeout = Duration.milliseconds(try request.integer("timeout_ms", default: 10_000, in: 0...60_000))
            let deadline = ContinuousClock.now.advanced(by: timeout)
            if StateEntryView.valueHash(value) == since, timeout > .zero {
                (view, value) = try await self.waiting.wait(for: context.channel) { [view] in
                    await self.waitForChange(of: key, from: since, view: view, until: deadline)
                }
            }
        }
        let record = StateEntryRecord(
            height: view.height, value: value, stateRoot: view.commitment.root,
            header: view.header, proof: view.commitment.proof(for: key))
        guard request.headers[.accept]?.contains(StateEntryRecord.contentType) == true else {
            return try JSONResponse.make(StateEntryView(record))
        }
        let bytes = record.canonicalEncoding
        var headers = HTTPFields()
        headers[.contentType] = StateEntryRecord.contentType
        headers[.contentLength] = String(bytes.count)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The view and the entry's value once its hash differs from `since`, at `deadline`, or at a graceful shutdown
    /// (which answers every waiting poll at once, unchanged, so the server can stop).
    private func waitForChange(
        of key: StateKey, from since: SHA256Digest, view: ChainView, until deadline: ContinuousClock.Instant
    ) async -> (ChainView, [UInt8]?) {
        var view = view
        var value = view.state.encodedValue(for: key)
        while StateEntryView.valueHash(value) == since, ContinuousClock.now < deadline,
            !Task.isShuttingDownGracefully, !Task.isCancelled
        {
            let (chain, height) = (self.chain, view.height)
            _ = await cancelWhenGracefulShutdown {
                await chain.waitForHeight(above: height, timeout: deadline - ContinuousClock.now)
            }
            view = await self.chain.view
            value = view.state.encodedValue(for: key)
        }
        return (view, value)
    }
}
