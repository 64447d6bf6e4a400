// APITypes: a commit (the precommit signatures that make a block final) in JSON.

public import DeAICore
public import Ledger

/// The precommit signatures of more than two thirds of the voting power for one block.
public struct CommitView: Codable, Sendable, Hashable {
    /// One validator's precommit signature.
    public struct SignatureView: Codable, Sendable, Hashable {
        /// The validator's operator address.
        public var validator: Address
        /// Its consensus key's signature of the precommit vote.
        public var signature: Signature
    }

    /// The committed block's height.
    public var height: Height
    /// The consensus round that committed it.
    public var round: UInt32
    /// The committed block's hash.
    public var blockHash: SHA256Digest
    /// The signatures, in validator-address order.
    public var signatures: [SignatureView]

    private enum CodingKeys: String, CodingKey {
        case height, round, signatures, blockHash = "block_hash"
    }

    /// The view of `commit`.
    public init(_ commit: Commit) {
        self.height = commit.height
        self.round = commit.round
        self.blockHash = commit.blockHash
        self.signatures = commit.signatures.map { SignatureView(validator: $0.validator, signature: $0.signature) }
    }

    /// The ledger's commit, which `Commit.verify(chainID:height:blockHash:validatorSet:)` checks.
    public var commit: Commit {
        Commit(
            height: self.height, round: self.round, blockHash: self.blockHash,
            signatures: self.signatures.map { CommitSignature(validator: $0.validator, signature: $0.signature) }
        )
    }
}
