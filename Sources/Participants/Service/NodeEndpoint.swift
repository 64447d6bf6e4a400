// The URL of the node's own API, known once the API is bound.

import Synchronization

/// Where the roles of a node reach its API: the URL is known only once the API has bound its port (port 0 picks
/// one), so roles wait for it here rather than poll.
///
/// ```swift
/// let endpoint = NodeEndpoint()
/// // in the API's onServerRunning callback:
/// endpoint.resolve("http://127.0.0.1:\(port)")
/// // in a role:
/// let url = try await endpoint.url()
/// ```
public final class NodeEndpoint: Sendable {
    private enum State {
        case waiting(next: Int, waiters: [Int: CheckedContinuation<String, any Error>])
        case resolved(String)
    }

    private let state: Mutex<State>

    /// An endpoint whose URL is not known yet.
    public init() {
        self.state = Mutex(.waiting(next: 0, waiters: [:]))
    }

    /// An endpoint already known to be at `url`.
    public init(url: String) {
        self.state = Mutex(.resolved(url))
    }

    /// Sets the URL and wakes every waiting role. Later calls are ignored: the API binds once.
    public func resolve(_ url: String) {
        let waiters: [CheckedContinuation<String, any Error>] = self.state.withLock { state in
            guard case .waiting(_, let waiters) = state else { return [] }
            state = .resolved(url)
            return Array(waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: url) }
    }

    /// The URL, waiting until ``resolve(_:)`` gives it.
    /// - Throws: `CancellationError` when the waiting task is cancelled first.
    public func url() async throws -> String {
        let ticket = Mutex<Int?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, any Error>) in
                let outcome: Result<String, any Error>? = self.state.withLock { state in
                    switch state {
                    case .resolved(let url):
                        return .success(url)
                    case .waiting(let next, var waiters):
                        // Checked under the lock: a cancellation handler that ran before finds no ticket.
                        if Task.isCancelled { return .failure(CancellationError()) }
                        waiters[next] = continuation
                        ticket.withLock { $0 = next }
                        state = .waiting(next: next + 1, waiters: waiters)
                        return nil
                    }
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter: CheckedContinuation<String, any Error>? = self.state.withLock { state in
                guard case .waiting(let next, var waiters) = state, let id = ticket.withLock({ $0 }) else { return nil }
                let waiter = waiters.removeValue(forKey: id)
                state = .waiting(next: next, waiters: waiters)
                return waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
