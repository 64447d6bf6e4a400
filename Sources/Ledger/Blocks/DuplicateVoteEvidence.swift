// DuplicateVoteEvidence: two conflicting votes signed by one validator, the proof of a double-sign.

public import DeAICore

/// Two votes of one validator for the same chain, height, round and step, for different blocks (or one block and
/// nothing): an honest validator never signs both, so the pair proves equivocation.
public struct DuplicateVoteEvidence: Sendable, Hashable, Codable, CanonicalCodable {
    /// The vote seen first.
    public var first: SignedVote
    /// The conflicting vote.
    public var second: SignedVote

    /// Evidence of `first` and `second`, stored in a canonical order (by signing bytes) so that the same pair
    /// seen in either order is the same evidence.
    public init(_ first: SignedVote, _ second: SignedVote) {
        let ordered = first.vote.signingBytes.lexicographicallyPrecedes(second.vote.signingBytes)
        self.first = ordered ? first : second
        self.second = ordered ? second : first
    }

    /// The equivocating validator's operator address.
    public var validator: Address { self.first.vote.validator }

    /// Checks that the two votes conflict and that `key` signed both.
    /// - Throws: ``LedgerError/invalidEvidence(reason:)`` naming what does not hold.
    public func verify(key: VerifyingKey) throws(LedgerError) {
        let (a, b) = (self.first.vote, self.second.vote)
        guard a.validator == b.validator, a.chainID == b.chainID, a.height == b.height, a.round == b.round,
            a.kind == b.kind
        else { throw .invalidEvidence(reason: "the votes are not for the same validator, chain, height, round and step") }
        guard a.blockHash != b.blockHash else { throw .invalidEvidence(reason: "the votes do not conflict") }
        guard self.first.isSigned(by: key), self.second.isSigned(by: key) else {
            throw .invalidEvidence(reason: "a vote is not signed by \(a.validator)'s consensus key")
        }
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.first)
        encoder.encode(self.second)
    }

    /// Decodes the pair, which must be in the canonical order (``init(_:_:)``): one double vote has one encoding.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let offset = decoder.offset
        self.first = try decoder.decode(SignedVote.self)
        self.second = try decoder.decode(SignedVote.self)
        guard !self.second.vote.signingBytes.lexicographicallyPrecedes(self.first.vote.signingBytes) else {
            throw .invalidValue(offset: offset, reason: "the two votes of evidence are not in canonical order")
        }
    }
}
