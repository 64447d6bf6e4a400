// PeerMessage: everything one node sends another after the hello — consensus, addresses of other nodes, blobs.

public import Consensus
public import DeAICore

/// A frame's content between linked nodes: a ``Consensus/ConsensusMessage`` (tags 1 to 5), a request for the
/// addresses a node knows (tag 64), or such addresses (tag 65) — peer exchange, by which a node that knows one peer
/// finds the others — or the exchange of content-addressed blobs (model weights and updates): a request by hash
/// (tag 66), the blob's bytes (tag 67, named by their own SHA-256) or "not held here" (tag 68).
public enum PeerMessage: Sendable, Hashable {
    /// A message for the node's consensus.
    case consensus(ConsensusMessage)
    /// Asks for the addresses the peer knows.
    case addressRequest
    /// Addresses of nodes, the sender's own first when it listens; at most ``maxAddresses``.
    case addresses([PeerAddress])
    /// Asks for the blob whose bytes hash to this.
    case blobRequest(SHA256Digest)
    /// A blob's bytes, answering a request; the receiver hashes them to know which.
    case blob([UInt8])
    /// The sender holds no blob with this hash.
    case blobMissing(SHA256Digest)

    /// The most addresses in one message.
    public static let maxAddresses = 64

    enum Tag: UInt8 {
        case addressRequest = 64
        case addresses = 65
        case blobRequest = 66
        case blob = 67
        case blobMissing = 68
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
            return Self.encoding(.addresses) { $0.encode(addresses) }
        case .blobRequest(let hash):
            return Self.encoding(.blobRequest) { $0.encode(hash) }
        case .blob(let bytes):
            return Self.encoding(.blob) { $0.encode(bytes: bytes) }
        case .blobMissing(let hash):
            return Self.encoding(.blobMissing) { $0.encode(hash) }
        }
    }

    /// The tag, then what `body` writes.
    private static func encoding(_ tag: Tag, _ body: (inout CanonicalEncoder) -> Void) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.encode(tag.rawValue)
        body(&encoder)
        return encoder.bytes
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
        case .blobRequest: self = .blobRequest(try decoder.decode(SHA256Digest.self))
        case .blob: self = .blob(try decoder.decodeBytes())
        case .blobMissing: self = .blobMissing(try decoder.decode(SHA256Digest.self))
        case nil: throw .unknownTag(offset: 0, tag: tag, type: "PeerMessage")
        }
        try decoder.finish()
    }
}
