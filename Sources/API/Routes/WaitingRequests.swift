// WaitingRequests: a bound on the requests that wait at once, refused with 429 beyond it; a wait ends when its
// client leaves.

import NIOCore
import Synchronization

/// Counts the requests that wait — long-polls of a state entry, submissions waiting for their receipt — and
/// refuses one more than ``APIConfiguration/maxWaitingRequests`` with `too_many_waiting` (429, `Retry-After`), so
/// that clients cannot hold an unbounded number of suspended tasks and timers on a node. A wait whose client
/// leaves is cancelled at once, freeing its place.
final class WaitingRequests: Sendable {
    private let limit: Int
    private let count = Mutex(0)

    /// A bound of `limit` waiting requests.
    init(limit: Int) {
        self.limit = limit
    }

    /// Runs `wait` as one waiting request of `client`'s connection, or throws `too_many_waiting` when `limit`
    /// already wait. `wait` is cancelled when the client leaves
    /// (``NIOCore/Channel/cancellingOnClientDeparture(_:)``), and must then return early.
    func wait<Result: Sendable>(
        for client: any Channel, _ wait: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        let admitted = self.count.withLock { count in
            guard count < self.limit else { return false }
            count += 1
            return true
        }
        guard admitted else {
            throw APIError(.tooManyWaiting, "\(self.limit) requests are already waiting on this node; retry shortly")
        }
        defer { self.count.withLock { $0 -= 1 } }
        return try await client.cancellingOnClientDeparture(wait)
    }
}
