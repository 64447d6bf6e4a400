// BlockProposal: the block a round's proposer proposes, signed.

public import DeAICore
public import Ledger

/// The block that the proposer of a height and round proposes (Tendermint's `PROPOSAL(h, r, v, vr)`), with the
/// round `validRound` in which it saw more than two thirds of the power prevote that block, if it re-proposes one.
public struct BlockProposal: Sendable, Hashable {
    /// The height.
    public var height: Height
    /// The round.
    public var round: UInt32
    /// The earlier round whose prevotes made this block valid (`vr`), when the proposer re-proposes it.
    public var validRound: UInt32?
    /// The proposed block.
    public var block: Block
    /// The proposer's operator address.
    public var proposer: Address

    /// A proposal with every field given.
    public init(height: Height, round: UInt32, validRound: UInt32?, block: Block, proposer: Address) {
        self.height = height
        self.round = round
        self.validRound = validRound
        self.block = block
        self.proposer = proposer
    }

    /// The domain tag in front of every signed proposal.
    public static let signingDomain: [UInt8] = Array("DEAI/PROPOSAL/V1\u{0}".utf8)

    /// The exact bytes the proposer signs: the domain tag, then the chain ID, height, round, valid round (absent
    /// or present), block hash and proposer, canonically encoded. The block is named by its hash.
    public var signingBytes: [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.encode(self.block.header.chainID)
        encoder.encode(self.height)
        encoder.encode(self.round)
        encoder.encode(self.validRound)
        encoder.encode(self.block.hash)
        encoder.encode(self.proposer)
        return Self.signingDomain + encoder.bytes
    }
}

/// A ``BlockProposal`` with its proposer's signature of ``BlockProposal/signingBytes``.
public struct SignedProposal: Sendable, Hashable {
    /// The proposal.
    public var proposal: BlockProposal
    /// The proposer's consensus key's signature.
    public var signature: Signature

    /// A signed proposal with every field given (the signature is not checked here).
    public init(proposal: BlockProposal, signature: Signature) {
        self.proposal = proposal
        self.signature = signature
    }

    /// `proposal` signed with `key`, the proposer's consensus key.
    /// - Throws: the key's error, which a valid key does not raise.
    public init(signing proposal: BlockProposal, with key: SigningKey) throws {
        self.init(proposal: proposal, signature: try key.signature(for: proposal.signingBytes))
    }

    /// Whether `key` signed this proposal.
    public func isSigned(by key: VerifyingKey) -> Bool {
        key.isValidSignature(self.signature, for: self.proposal.signingBytes)
    }
}
