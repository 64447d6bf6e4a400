// API: a bound on the connections the API holds, in all and per client.

import Synchronization

/// Counts the API's open connections, in all and per client address, and refuses one more than
/// ``APIConfiguration/maxConnections`` or ``APIConfiguration/maxConnectionsPerClient``: every connection costs a
/// file descriptor and memory, and a client that opens connections without end must not take them all.
///
/// A client's connections also bound its requests in flight: HTTP/1.1 answers one request at a time per
/// connection, so a client has at most as many requests in flight (long-polls included) as connections.
final class ConnectionLimits: Sendable {
    /// The most connections in all.
    let maxConnections: Int
    /// The most connections from one client address.
    let maxPerClient: Int
    private let open = Mutex<(total: Int, byClient: [String: Int])>((0, [:]))

    /// Limits of `maxConnections` in all and `maxPerClient` per client address.
    init(maxConnections: Int, maxPerClient: Int) {
        self.maxConnections = maxConnections
        self.maxPerClient = maxPerClient
    }

    /// Why a connection was refused.
    enum Refusal: Sendable, Equatable {
        case tooManyInAll
        case tooManyFromClient
    }

    /// Counts a connection from `client`, or says why it is refused (and counts nothing).
    func admit(_ client: String) -> Refusal? {
        self.open.withLock { open in
            guard open.total < self.maxConnections else { return .tooManyInAll }
            guard open.byClient[client, default: 0] < self.maxPerClient else { return .tooManyFromClient }
            open.total += 1
            open.byClient[client, default: 0] += 1
            return nil
        }
    }

    /// Forgets a connection from `client` that ``admit(_:)`` counted.
    func release(_ client: String) {
        self.open.withLock { open in
            open.total -= 1
            let left = open.byClient[client, default: 1] - 1
            open.byClient[client] = left > 0 ? left : nil
        }
    }
}
