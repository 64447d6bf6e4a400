// APITypes: where the HTTP API listens and what it accepts.

/// Settings of the node's HTTP JSON API.
///
/// ```swift
/// var configuration = APIConfiguration()
/// configuration.port = 0        // an ephemeral port, reported through `onServerRunning`
/// ```
public struct APIConfiguration: Sendable, Hashable {
    /// The address to listen on. The default, loopback only, keeps the API private to the machine.
    public var host: String
    /// The TCP port to listen on; 0 asks the system for a free one.
    public var port: Int
    /// The largest request body accepted, in bytes. A larger body is refused with 413 before it is read whole.
    public var maxBodyBytes: Int
    /// Requests that may wait at once — long-polls of a state entry and submissions waiting for their receipt.
    /// One more is refused with 429 and `Retry-After`, so that waiting clients cannot pile up without bound.
    public var maxWaitingRequests: Int
    /// Connections held at once; one more is answered with 429 and closed.
    public var maxConnections: Int
    /// Connections held at once from one client address; one more is answered with 429 and closed. As HTTP/1.1
    /// answers one request at a time per connection, this also bounds a client's requests in flight.
    public var maxConnectionsPerClient: Int
    /// What `PUT /v1/blobs/{hash}` accepts and how long unnamed blobs are kept.
    public var blobs: BlobPolicy

    /// Settings with defaults: `127.0.0.1`, port 26657, bodies of at most 1 MiB, 1,024 waiting requests, 1,024
    /// connections of which 256 from one address, the default ``BlobPolicy``.
    public init(
        host: String = "127.0.0.1", port: Int = 26657, maxBodyBytes: Int = 1 << 20, maxWaitingRequests: Int = 1_024,
        maxConnections: Int = 1_024, maxConnectionsPerClient: Int = 256, blobs: BlobPolicy = BlobPolicy()
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.maxWaitingRequests = maxWaitingRequests
        self.maxConnections = maxConnections
        self.maxConnectionsPerClient = maxConnectionsPerClient
        self.blobs = blobs
    }
}

extension APIConfiguration {
    /// The host by which processes on this machine reach the API: the loopback address when it listens on every
    /// interface, an IPv6 address in brackets.
    public var localHost: String {
        switch self.host {
        case "", "0.0.0.0": "127.0.0.1"
        case "::", "[::]": "[::1]"
        default: self.host.contains(":") && !self.host.hasPrefix("[") ? "[\(self.host)]" : self.host
        }
    }
}
