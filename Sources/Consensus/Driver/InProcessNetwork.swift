// InProcessNetwork: the validators of one process, connected without sockets.

import Synchronization

/// A consensus network inside one process: each node that ``join(as:)``s gets an endpoint, and a message sent to a
/// peer lands in that peer's inbox at once, in order. A node that ``leave(_:)``s stops hearing anything, as a node
/// that stopped would; messages sent to it are lost. Tests and single-machine networks of several validators use
/// it; nodes on different machines use the peer-to-peer transport, behind the same ``ConsensusNetwork``.
///
/// ```swift
/// let network = InProcessNetwork()
/// let endpoint = network.join(as: PeerID("validator-0"))
/// endpoint.broadcast(.vote(signedVote))
/// ```
public final class InProcessNetwork: Sendable {
    private let inboxes = Mutex<[PeerID: AsyncStream<ConsensusEnvelope>.Continuation]>([:])

    /// An empty network.
    public init() {}

    /// Connects the node `peer`: its endpoint sends to every node connected, and hears them. Joining again under
    /// the same name replaces the earlier endpoint, whose incoming messages end.
    public func join(as peer: PeerID) -> Endpoint {
        let (incoming, continuation) = AsyncStream.makeStream(of: ConsensusEnvelope.self)
        let earlier = self.inboxes.withLock { inboxes in
            let earlier = inboxes[peer]
            inboxes[peer] = continuation
            return earlier
        }
        earlier?.finish()
        return Endpoint(network: self, peer: peer, incoming: incoming)
    }

    /// Disconnects `peer`: its incoming messages end and messages sent to it are lost.
    public func leave(_ peer: PeerID) {
        self.inboxes.withLock { $0.removeValue(forKey: peer) }?.finish()
    }

    /// The nodes connected now.
    public var peers: [PeerID] { self.inboxes.withLock { $0.keys.sorted() } }

    /// Every peer a node reported misbehaving, in order: who reported whom, and why.
    public var misbehaviour: [(reporter: PeerID, peer: PeerID, reason: String)] { self.reports.withLock { $0 } }
    private let reports = Mutex<[(reporter: PeerID, peer: PeerID, reason: String)]>([])

    fileprivate func deliver(_ message: ConsensusMessage, from sender: PeerID, to receiver: PeerID?) {
        let receivers = self.inboxes.withLock { inboxes in
            receiver.map { [inboxes[$0]].compactMap { $0 } } ?? inboxes.filter { $0.key != sender }.map(\.value)
        }
        for inbox in receivers { inbox.yield(ConsensusEnvelope(message, from: sender)) }
    }

    /// One node's connection to an ``InProcessNetwork``.
    public struct Endpoint: ConsensusNetwork {
        fileprivate let network: InProcessNetwork
        /// The node's name on the network.
        public let peer: PeerID
        public let incoming: AsyncStream<ConsensusEnvelope>

        public func broadcast(_ message: ConsensusMessage) {
            self.network.deliver(message, from: self.peer, to: nil)
        }

        public func send(_ message: ConsensusMessage, to peer: PeerID) {
            self.network.deliver(message, from: self.peer, to: peer)
        }

        /// Records the report in ``InProcessNetwork/misbehaviour``; the peer stays connected.
        public func disconnect(_ peer: PeerID, misbehaving reason: String) {
            let reporter = self.peer
            self.network.reports.withLock { $0.append((reporter, peer, reason)) }
        }
    }
}
