// Votes: a validator's prevote or precommit for a block, or for nothing, at a height and round.

public import DeAICore

/// A validator's vote at a height and round (Tendermint, Buchman–Kwon–Milosevic 2018, §3): for a block, or for
/// nothing (`nil`) when it saw no valid proposal in time or no majority for one.
public struct Vote: Sendable, Hashable, Codable, CanonicalCodable {
    /// The step of the vote.
    public enum Kind: UInt8, Sendable, Hashable, Codable {
        case prevote = 1
        case precommit = 2
    }

    /// Prevote or precommit.
    public var kind: Kind
    /// The chain voted on.
    public var chainID: String
    /// The height voted on.
    public var height: Height
    /// The consensus round.
    public var round: UInt32
    /// The block voted for; `nil` votes for no block.
    public var blockHash: SHA256Digest?
    /// The voting validator's operator address.
    public var validator: Address

    /// A vote with every field given.
    public init(kind: Kind, chainID: String, height: Height, round: UInt32, blockHash: SHA256Digest?, validator: Address) {
        self.kind = kind
        self.chainID = chainID
        self.height = height
        self.round = round
        self.blockHash = blockHash
        self.validator = validator
    }

    /// The domain tag in front of every signed vote. Version 2: a vote may be for no block.
    public static let signingDomain: [UInt8] = Array("DEAI/VOTE/V2\u{0}".utf8)

    /// The exact bytes a validator signs: the domain tag, then the canonical encoding.
    public var signingBytes: [UInt8] { Self.signingDomain + self.canonicalEncoding }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.kind.rawValue)
        encoder.encode(self.chainID)
        encoder.encode(self.height)
        encoder.encode(self.round)
        encoder.encode(self.blockHash)
        encoder.encode(self.validator)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let offset = decoder.offset
        let kind = try decoder.decodeUInt8()
        guard let decoded = Kind(rawValue: kind) else { throw CodecError.unknownTag(offset: offset, tag: kind, type: "Vote.Kind") }
        self.kind = decoded
        self.chainID = try decoder.decodeString(maxBytes: 64)
        self.height = try decoder.decodeUInt64()
        self.round = try decoder.decodeUInt32()
        self.blockHash = try decoder.decodeOptional(SHA256Digest.self)
        self.validator = try decoder.decode(Address.self)
    }
}

/// A vote with its validator's signature of ``Vote/signingBytes``: what validators gossip, and what evidence of a
/// double vote carries.
public struct SignedVote: Sendable, Hashable, Codable, CanonicalCodable {
    /// The vote.
    public var vote: Vote
    /// The validator's consensus key's signature of the vote.
    public var signature: Signature

    /// A signed vote with every field given (the signature is not checked here).
    public init(vote: Vote, signature: Signature) {
        self.vote = vote
        self.signature = signature
    }

    /// `vote` signed with `key`.
    /// - Throws: the error of the signing library, which does not fail for a valid key.
    public init(signing vote: Vote, with key: SigningKey) throws {
        self.init(vote: vote, signature: try key.signature(for: vote.signingBytes))
    }

    /// Whether `key` signed this vote.
    public func isSigned(by key: VerifyingKey) -> Bool {
        key.isValidSignature(self.signature, for: self.vote.signingBytes)
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.vote)
        encoder.encode(self.signature)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.vote = try decoder.decode(Vote.self)
        self.signature = try decoder.decode(Signature.self)
    }
}
