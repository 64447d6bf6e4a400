// Node: a node running in the background of this process.

import APITypes
public import Consensus
import ServiceLifecycle

/// A node started with ``Node/start(api:participants:consensus:)``: it runs in the background until ``stop()``.
///
/// The devnet's validator and `deai bench chain` run their node this way, with the same wiring as `deai start`.
///
/// ```swift
/// let running = try await node.start(api: factory)
/// let client = try NodeClient(baseURL: running.apiURL)
/// await running.stop()
/// ```
public final class RunningNode: Sendable {
    /// The node.
    public let node: Node
    /// The port its API listens on.
    public let apiPort: Int
    private let group: ServiceGroup
    private let running: Task<Void, any Error>

    init(node: Node, apiPort: Int, group: ServiceGroup, running: Task<Void, any Error>) {
        self.node = node
        self.apiPort = apiPort
        self.group = group
        self.running = running
    }

    /// The node's chain.
    public var chain: Chain { self.node.chain }

    /// The API's URL on this machine, `http://127.0.0.1:PORT` when it listens on loopback or on every interface.
    public var apiURL: String { "http://\(self.node.configuration.api.localHost):\(self.apiPort)" }

    /// Stops the node gracefully (the block in flight is committed first) and waits until it has stopped.
    /// - Throws: the error of a service that failed while the node ran.
    public func stop() async throws {
        await self.group.triggerGracefulShutdown()
        try await self.running.value
    }
}
