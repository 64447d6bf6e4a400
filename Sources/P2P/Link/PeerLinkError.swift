// Why a link to a peer ended.


/// Why a link to a peer ended before its messages were done: another network, a stream that is not frames of
/// messages, a peer over the rate limits, or a connection that closed first.
public enum PeerLinkError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The peer's hello names another version, chain or genesis.
    case otherNetwork(ours: PeerHello, theirs: PeerHello)
    /// The connection closed before the peer said hello.
    case closedBeforeHello
    /// A frame is larger than the limit.
    case frame(FrameError)
    /// A frame is not a canonical hello or message.
    case malformedMessage(reason: String)
    /// The peer sends faster than the limits allow.
    case flooding(reason: String)

    /// Whether an honest node never ends a link this way, so the peer is banned.
    public var breaksProtocol: Bool {
        switch self {
        case .frame, .malformedMessage, .flooding: true
        case .otherNetwork, .closedBeforeHello: false
        }
    }

    public var description: String {
        switch self {
        case .otherNetwork(let ours, let theirs):
            "the peer is of chain \(theirs.chainID) (genesis \(theirs.genesisHash), protocol \(theirs.version)); this node is of "
                + "chain \(ours.chainID) (genesis \(ours.genesisHash), protocol \(ours.version))"
        case .closedBeforeHello: "the peer closed the connection before saying hello"
        case .frame(let error): "\(error)"
        case .malformedMessage(let reason): "the peer sent a malformed message: \(reason)"
        case .flooding(let reason): "the peer floods: \(reason)"
        }
    }
}
