// ConsensusEvent: what moves a node's consensus, and when it is due.

public import Ledger

/// Something that happened to a node's consensus; ``Chain/handle(_:time:)`` takes it.
public enum ConsensusEvent: Sendable {
    /// A peer's message arrived.
    case message(ConsensusMessage, from: PeerID)
    /// A timeout the chain asked for has passed.
    case timeout(ConsensusTimeout)
    /// The commit timeout after deciding `height` has passed: commit it and start the next height.
    case commit(height: Height)
    /// Time to send again what this node heard at its height, for peers that missed it.
    case gossip
}

/// An event the chain wants back after a delay: a round's timeout, or the end of the commit timeout.
public struct ConsensusTimer: Sendable {
    /// The event to hand back.
    public var event: ConsensusEvent
    /// When, from now.
    public var delay: Duration
}
