// ConsensusNetwork: how a node's consensus reaches the other validators' nodes.

/// A node on the consensus network, by name.
public struct PeerID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The name: a node's moniker in one process, its node key on a network.
    public let name: String

    /// The peer called `name`.
    public init(_ name: String) {
        self.name = name
    }

    public var description: String { self.name }

    public static func < (lhs: PeerID, rhs: PeerID) -> Bool { lhs.name < rhs.name }
}

/// A message as it arrived, with the peer that sent it.
public struct ConsensusEnvelope: Sendable {
    /// The message.
    public var message: ConsensusMessage
    /// Who sent it.
    public var sender: PeerID

    /// An envelope with every field given.
    public init(_ message: ConsensusMessage, from sender: PeerID) {
        self.message = message
        self.sender = sender
    }
}

/// The transport of one node's consensus messages: it sends without waiting (a message to a peer that is gone is
/// lost, as on a real network; the protocol sends again what matters) and hands over what peers sent.
///
/// ``InProcessNetwork`` connects the validators of one process; the peer-to-peer transport connects machines.
public protocol ConsensusNetwork: Sendable {
    /// The messages peers sent this node, in arrival order; it ends when the node leaves the network.
    var incoming: AsyncStream<ConsensusEnvelope> { get }
    /// Sends `message` to every peer.
    func broadcast(_ message: ConsensusMessage)
    /// Sends `message` to `peer`.
    func send(_ message: ConsensusMessage, to peer: PeerID)
    /// `peer` sent what no honest node sends (`reason` says what): the transport stops hearing it for a while.
    func disconnect(_ peer: PeerID, misbehaving reason: String)
}
