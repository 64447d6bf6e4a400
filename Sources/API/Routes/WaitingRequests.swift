// WaitingRequests: a bound on the requests that wait at once, refused with 429 beyond it.

import Synchronization

/// Counts the requests that wait — long-polls of a state entry, submissions waiting for their receipt — and
/// refuses one more than ``APIConfiguration/maxWaitingRequests`` with `too_many_waiting` (429, `Retry-After`), so
/// that clients cannot hold an unbounded number of suspended tasks and timers on a node.
final class WaitingRequests: Sendable {
    private let limit: Int
    private let count = Mutex(0)

    /// A bound of `limit` waiting requests.
    init(limit: Int) {
        self.limit = limit
    }

    /// Runs `wait` as one waiting request, or throws `too_many_waiting` when `limit` already wait.
    func wait<Result: Sendable>(_ wait: () async throws -> Result) async throws -> Result {
        let admitted = self.count.withLock { count in
            guard count < self.limit else { return false }
            count += 1
            return true
        }
        guard admitted else {
            throw APIError(.tooManyWaiting, "\(self.limit) requests are already waiting on this node; retry shortly")
        }
        defer { self.count.withLock { $0 -= 1 } }
        return try await wait()
    }
}
