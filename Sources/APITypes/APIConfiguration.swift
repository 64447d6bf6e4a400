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

    /// Settings with defaults: `127.0.0.1`, port 26657, bodies of at most 1 MiB.
    public init(host: String = "127.0.0.1", port: Int = 26657, maxBodyBytes: Int = 1 << 20) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
    }
}
