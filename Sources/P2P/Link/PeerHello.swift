// PeerHello: what two nodes say first, so that nodes of different chains never exchange a message.

public import DeAICore

/// The first frame each end of a connection sends: the protocol version, the chain ID and the genesis hash. A
/// peer whose hello differs in any of them is of another network, and the connection ends before any message.
public struct PeerHello: Sendable, Hashable, CanonicalCodable {
    /// The version of the framing and messages this node speaks.
    public static let currentVersion: UInt32 = 1

    /// The protocol version.
    public var version: UInt32
    /// The chain's identifier.
    public var chainID: String
    /// The chain's genesis hash.
    public var genesisHash: SHA256Digest

    /// The hello of a node of `chainID` with `genesisHash`, speaking the current version.
    public init(chainID: String, genesisHash: SHA256Digest, version: UInt32 = PeerHello.currentVersion) {
        self.version = version
        self.chainID = chainID
        self.genesisHash = genesisHash
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.version)
        encoder.encode(self.chainID)
        encoder.encode(self.genesisHash)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.version = try decoder.decodeUInt32()
        self.chainID = try decoder.decodeString(maxBytes: 64)
        self.genesisHash = try decoder.decode(SHA256Digest.self)
    }
}
