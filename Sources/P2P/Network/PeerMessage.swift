// PeerMessage: everything one node sends another after the hello — consensus, and addresses of other nodes.

public import Consensus
public import DeAICore

/// A frame's content between linked nodes: a ``Consensus/ConsensusMessage`` (tags 1 to 5), a request for the
/// addresses a node knows (tag 64), or such addresses (tag 65) — peer exchange, by which a node that knows one peer
/// finds the others.
public enum PeerMessage: Sendable, Hashable {
    /// A message for the node's consensus.
    case consensus(ConsensusMessage)
    /// Asks for the addresses the peer knows.
    case addressRequest
    /// Addresses of nodes, the sender's own first when it listens; at most ``maxAddresses``.
    case addresses([PeerAddress])

    /// The most addresses in one message.
    public static let maxAddresses = 64

    enum Tag: UInt8 {
        case addressRequest = 64
        case addresses = 65
    }

    /// The first byte of a frame that carries a consensus message is below this.
    static let firstPeerTag: UInt8 = 64

    /// The message's bytes in a frame: a consensus message's own encoding, or the tag and the addresses.
    public var encoding: [UInt8] {
        switch self {
        case .consensus(let message):
            return message.canonicalEncoding
        case .addressRequest:
            return [Tag.addressRequest.rawValue]
        case .addresses(let addresses):
            var encoder = CanonicalEncoder()
            encoder.encode(Tag.addresses.rawValue)
            encoder.encode(addresses)
            return encoder.bytes
        }
    }

    /// The message a frame carries.
    /// - Throws: ``DeAICore/CodecError`` for bytes that are no canonical message.
    public init(frame: [UInt8]) throws(CodecError) {
        guard let tag = frame.first, tag >= Self.firstPeerTag else {
            self = .consensus(try ConsensusMessage(canonicalEncoding: frame))
            return
        }
        var decoder = CanonicalDecoder(bytes: frame)
        _ = try decoder.decodeUInt8()
        switch Tag(rawValue: tag) {
        case .addressRequest: self = .addressRequest
        case .addresses: self = .addresses(try decoder.decodeArray(of: PeerAddress.self, maxCount: Self.maxAddresses))
        case nil: throw .unknownTag(offset: 0, tag: tag, type: "PeerMessage")
        }
        try decoder.finish()
    }
}
