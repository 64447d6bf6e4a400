// PeerNetwork: the consensus network across machines — authenticated links to peers, over TLS.

public import Consensus
public import DeAICore
public import Logging
import NIOCore
import Synchronization

/// A node's links to the other nodes of its chain, behind ``Consensus/ConsensusNetwork``: it listens, dials its
/// persistent peers (and, by peer exchange, the nodes they know) and keeps one TLS link to each
/// (docs/adr/0001-peer-transport.md). ``broadcast(_:)`` and ``send(_:to:)`` queue a message for the linked peers
/// without waiting; what they send arrives in ``incoming``, from the peer named by its node key.
/// ``fetchBlob(_:timeout:)`` gets a blob from whichever peer holds it.
///
/// A peer whose frames are too large or malformed, that floods, or that the chain reports as misbehaving
/// (``disconnect(_:misbehaving:)``) is cut off and banned for ``PeerNetworkConfiguration/banDuration``.
///
/// ```swift
/// let network = try PeerNetwork(nodeKey: nodeKey, hello: hello, configuration: configuration, logger: logger)
/// try await network.run()   // until cancelled
/// ```
public final class PeerNetwork: ConsensusNetwork, Sendable {
    /// This node's key, as peers know it.
    public let me: PeerID
    /// This node's key.
    let nodeKey: VerifyingKey
    /// What every link says first.
    public let hello: PeerHello
    /// The configuration.
    public let configuration: PeerNetworkConfiguration
    public let incoming: AsyncStream<ConsensusEnvelope>
    let inbox: AsyncStream<ConsensusEnvelope>.Continuation
    let tls: PeerTLS
    let logger: Logger
    let table: Mutex<PeerTable>
    /// The blobs this node serves to peers that ask, if any.
    let blobs: (any BlobSource)?
    /// The blobs this node asked its peers for.
    let blobFetches = Mutex(BlobFetches())
    private let boundPort = Mutex<Int?>(nil)

    /// A network of the node with `nodeKey`, not yet listening nor dialling (``run(onListening:)`` does), serving
    /// `blobs` to peers that ask.
    /// - Throws: NIOSSL's error when the node's TLS certificate cannot be made.
    public init(
        nodeKey: SigningKey, hello: PeerHello, configuration: PeerNetworkConfiguration, blobs: (any BlobSource)? = nil,
        logger: Logger
    ) throws {
        self.me = PeerID(nodeKey.verifyingKey.description)
        self.nodeKey = nodeKey.verifyingKey
        self.hello = hello
        self.configuration = configuration
        self.tls = try PeerTLS(identity: try PeerCertificate.make(nodeKey: nodeKey))
        self.blobs = blobs
        self.logger = logger
        (self.incoming, self.inbox) = AsyncStream.makeStream(of: ConsensusEnvelope.self, bufferingPolicy: .bufferingOldest(16_384))
        self.table = Mutex(
            PeerTable(me: self.me, maxPeers: configuration.maxPeers, persistent: configuration.persistentPeers))
    }

    // MARK: - ConsensusNetwork

    public func broadcast(_ message: ConsensusMessage) {
        let encoded = PeerMessage.consensus(message).encoding
        for link in self.table.withLock({ Array($0.links.values) }) { Self.queue(encoded, of: message, on: link) }
    }

    public func send(_ message: ConsensusMessage, to peer: PeerID) {
        guard let link = self.table.withLock({ $0.links[peer] }) else { return }
        Self.queue(PeerMessage.consensus(message).encoding, of: message, on: link)
    }

    /// Queues a message for a link: transactions on the bulk queue, the rest on the consensus queue.
    private static func queue(_ encoded: [UInt8], of message: ConsensusMessage, on link: PeerTable.Link) {
        if case .transactions = message { link.bulk.yield(encoded) } else { link.outbound.yield(encoded) }
    }

    public func disconnect(_ peer: PeerID, misbehaving reason: String) {
        self.ban(peer, because: reason)
    }

    // MARK: - State

    /// The peers linked now, in key order.
    public var linkedPeers: [PeerID] { self.table.withLock { $0.links.keys.sorted() } }

    /// The port the node listens on, once ``run(onListening:)`` bound it.
    public var listeningPort: Int? { self.boundPort.withLock { $0 } }

    /// Cuts `peer` off and refuses it for the ban duration.
    func ban(_ peer: PeerID, because reason: String) {
        let until = ContinuousClock.now + self.configuration.banDuration
        let link = self.table.withLock { $0.ban(peer, until: until) }
        link?.close()
        self.logger.warning("peer banned", metadata: ["peer": "\(peer)", "reason": "\(reason)", "for": "\(self.configuration.banDuration)"])
    }

    /// The address this node tells peers to reach it at, if it has one.
    var advertisedAddress: PeerAddress? {
        let port = self.listeningPort ?? self.configuration.listenPort
        if let external = self.configuration.externalAddress,
            let address = try? PeerAddress(parsing: "\(self.me)@\(external)")
        {
            return address
        }
        guard !["0.0.0.0", "::", ""].contains(self.configuration.listenHost) else { return nil }
        return PeerAddress(key: self.nodeKey, host: self.configuration.listenHost, port: port)
    }

    // MARK: - Running

    /// Listens, dials the persistent peers and the nodes peer exchange finds, and serves every link until the task
    /// is cancelled; then it closes every link and returns.
    /// - Parameter onListening: called with the port once the node listens.
    /// - Throws: the error of binding the listen address.
    public func run(onListening: @Sendable (Int) async -> Void = { _ in }) async throws {
        let listener = try await self.tls.listen(host: self.configuration.listenHost, port: self.configuration.listenPort)
        let port = listener.channel.localAddress?.port ?? self.configuration.listenPort
        self.boundPort.withLock { $0 = port }
        self.logger.info("peer-to-peer listening", metadata: [
            "address": "\(self.configuration.listenHost):\(port)", "node_key": "\(self.me)",
            "persistent_peers": "\(self.configuration.persistentPeers.count)"])
        await onListening(port)
        try await withThrowingDiscardingTaskGroup { group in
            for address in self.configuration.persistentPeers {
                group.addTask { await self.keepDialling(address) }
            }
            if self.configuration.peerExchange {
                group.addTask { await self.dialDiscoveredPeers() }
            }
            // Cancelling a loop over the listener's connections would drop those it holds, and NIO requires each
            // connection to be closed through its own `NIOAsyncChannel` (a dropped one traps). So the loop runs in a
            // task of its own that is never cancelled: on shutdown the listener closes, the loop ends once it has
            // handed every accepted connection to `serve`, and the links are cancelled then.
            let accepting = Task { try await self.acceptAll(from: listener) }
            try await withTaskCancellationHandler {
                try await accepting.value
            } onCancel: {
                listener.channel.close(promise: nil)
            }
        }
    }

    /// Serves every connection `listener` accepts until it closes, then ends the links it served.
    private func acceptAll(from listener: NIOAsyncChannel<PeerConnection, Never>) async throws {
        try await listener.executeThenClose { connections in
            try await withThrowingDiscardingTaskGroup { links in
                for try await connection in connections {
                    links.addTask { await self.serve(connection, dialled: nil) }
                }
                links.cancelAll()
            }
        }
    }
}
