// Commits: the precommit signatures that make a block final.

public import DeAICore

/// One validator's precommit signature inside a ``Commit``.
public struct CommitSignature: Sendable, Hashable, Codable, CanonicalCodable {
    /// The validator's operator address.
    public var validator: Address
    /// Its consensus key's signature of the precommit ``Vote``.
    public var signature: Signature

    /// A commit signature with every field given.
    public init(validator: Address, signature: Signature) {
        self.validator = validator
        self.signature = signature
    }

    /// `vote`'s validator's signature of it with `key`.
    /// - Throws: the error of the signing library, which does not fail for a valid key.
    public init(signing vote: Vote, with key: SigningKey) throws {
        self.init(validator: vote.validator, signature: try key.signature(for: vote.signingBytes))
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.validator)
        encoder.encode(self.signature)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.validator = try decoder.decode(Address.self)
        self.signature = try decoder.decode(Signature.self)
    }
}

/// The precommits of more than two thirds of the voting power for one block: the proof that it is final.
public struct Commit: Sendable, Hashable, Codable {
    /// The committed block's height.
    public var height: Height
    /// The round in which it was committed.
    public var round: UInt32
    /// The committed block's hash.
    public var blockHash: SHA256Digest
    /// The precommit signatures, in validator-address order.
    public var signatures: [CommitSignature]

    /// A commit with every field given.
    public init(height: Height, round: UInt32, blockHash: SHA256Digest, signatures: [CommitSignature]) {
        self.height = height
        self.round = round
        self.blockHash = blockHash
        self.signatures = signatures
    }

    /// The precommit vote `validator` signed for this commit.
    public func vote(chainID: String, validator: Address) -> Vote {
        Vote(kind: .precommit, chainID: chainID, height: self.height, round: self.round, blockHash: self.blockHash, validator: validator)
    }

    /// Checks that more than two thirds of `validatorSet`'s power signed this commit for `blockHash` at `height`.
    /// - Throws: ``LedgerError/invalidBlock(height:reason:)`` naming what is wrong.
    public func verify(chainID: String, height: Height, blockHash: SHA256Digest, validatorSet: ValidatorSet) throws(LedgerError) {
        guard self.height == height, self.blockHash == blockHash else {
            throw .invalidBlock(height: height, reason: "the commit is for another block")
        }
        var signedPower: Amount = 0
        var previous: Address?
        for entry in self.signatures {
            if let previous, previous >= entry.validator {
                throw .invalidBlock(height: height, reason: "commit signatures are not in strictly increasing order")
            }
            previous = entry.validator
            guard let member = validatorSet.member(entry.validator) else {
                throw .invalidBlock(height: height, reason: "\(entry.validator) is not in the validator set")
            }
            let vote = self.vote(chainID: chainID, validator: entry.validator)
            guard member.consensusKey.isValidSignature(entry.signature, for: vote.signingBytes) else {
                throw .invalidBlock(height: height, reason: "bad precommit signature from \(entry.validator)")
            }
            signedPower &+= member.power
        }
        guard signedPower.multipliedFullWidth(by: 3) > validatorSet.totalPower.multipliedFullWidth(by: 2) else {
            throw .invalidBlock(height: height, reason: "the commit holds \(signedPower) of \(validatorSet.totalPower) power, not more than 2/3")
        }
    }
}

extension Commit: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.height)
        encoder.encode(self.round)
        encoder.encode(self.blockHash)
        encoder.encode(self.signatures)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.height = try decoder.decodeUInt64()
        self.round = try decoder.decodeUInt32()
        self.blockHash = try decoder.decode(SHA256Digest.self)
        self.signatures = try decoder.decodeArray(of: CommitSignature.self, maxCount: 10_000)
    }
}
