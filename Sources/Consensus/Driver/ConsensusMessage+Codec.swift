// The canonical encoding of consensus messages, as they travel between nodes.

public import DeAICore
import Ledger

extension BlockProposal: CanonicalCodable {
    /// The height, round, valid round, whole block and proposer, in that order.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.height)
        encoder.encode(self.round)
        encoder.encode(self.validRound)
        encoder.encode(self.block)
        encoder.encode(self.proposer)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.init(
            height: try decoder.decodeUInt64(), round: try decoder.decodeUInt32(),
            validRound: try decoder.decodeOptional(UInt32.self), block: try decoder.decode(Block.self),
            proposer: try decoder.decode(Address.self))
    }
}

extension SignedProposal: CanonicalCodable {
    /// The proposal, then the proposer's signature.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.proposal)
        encoder.encode(self.signature)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.init(proposal: try decoder.decode(BlockProposal.self), signature: try decoder.decode(Signature.self))
    }
}

extension ConsensusMessage: CanonicalCodable {
    /// The frozen one-byte tags of the message kinds.
    enum Tag: UInt8 {
        case proposal = 1
        case vote = 2
        case decided = 3
        case catchUp = 4
        case transactions = 5
    }

    /// The most transactions in one message.
    public static let maxTransactionsPerMessage = 10_000

    /// A one-byte tag (proposal 1, vote 2, decided block 3, catch-up request 4, transactions 5), then the message;
    /// transactions are an array of byte strings, each a transaction's canonical encoding.
    public func encode(to encoder: inout CanonicalEncoder) {
        switch self {
        case .proposal(let signed):
            encoder.encode(Tag.proposal.rawValue)
            encoder.encode(signed)
        case .vote(let signed):
            encoder.encode(Tag.vote.rawValue)
            encoder.encode(signed)
        case .decided(let block, let commit):
            encoder.encode(Tag.decided.rawValue)
            encoder.encode(block)
            encoder.encode(commit)
        case .catchUp(let height):
            encoder.encode(Tag.catchUp.rawValue)
            encoder.encode(height)
        case .transactions(let encodings):
            encoder.encode(Tag.transactions.rawValue)
            encoder.encode(UInt64(encodings.count))
            for encoding in encodings { encoder.encode(bytes: encoding) }
        }
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let offset = decoder.offset
        let raw = try decoder.decodeUInt8()
        switch Tag(rawValue: raw) {
        case .proposal: self = .proposal(try decoder.decode(SignedProposal.self))
        case .vote: self = .vote(try decoder.decode(SignedVote.self))
        case .decided: self = .decided(try decoder.decode(Block.self), try decoder.decode(Commit.self))
        case .catchUp: self = .catchUp(from: try decoder.decodeUInt64())
        case .transactions:
            let countOffset = decoder.offset
            let count = try decoder.decodeUInt64()
            guard count <= UInt64(Self.maxTransactionsPerMessage) else {
                throw .fieldTooLarge(offset: countOffset, length: Int(clamping: count), limit: Self.maxTransactionsPerMessage)
            }
            self = .transactions(try (0..<count).map { _ throws(CodecError) in try decoder.decodeBytes() })
        case nil: throw .unknownTag(offset: offset, tag: raw, type: "ConsensusMessage")
        }
    }
}
