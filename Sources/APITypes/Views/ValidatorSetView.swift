// APITypes: the validator set that signs a block, in JSON.

public import DeAICore
public import Ledger

/// The validator set that signs the block at ``height``: it has signed since ``since`` and a new set signs from
/// ``nextChange``, when the chain has one. A light client checks the set against a header's validator set hashes,
/// never takes it on the node's word.
public struct ValidatorSetView: Codable, Sendable, Hashable {
    /// One member: operator address, consensus key and voting power.
    public struct MemberView: Codable, Sendable, Hashable {
        /// The operator's address.
        public var address: Address
        /// The key that signs its votes.
        public var consensusKey: VerifyingKey
        /// Its voting power.
        public var power: Amount

        private enum CodingKeys: String, CodingKey {
            case address, power, consensusKey = "consensus_key"
        }
    }

    /// The height asked about.
    public var height: Height
    /// The first block this set signs.
    public var since: Height
    /// The first block the next set signs, when the set changed after this one.
    public var nextChange: Height?
    /// The set's hash, as headers name it.
    public var hash: SHA256Digest
    /// The members in address order.
    public var members: [MemberView]

    private enum CodingKeys: String, CodingKey {
        case height, since, hash, members, nextChange = "next_change"
    }

    /// The view of `set`, which signs `height`, since `since`, until `nextChange`.
    public init(_ set: ValidatorSet, height: Height, since: Height, nextChange: Height?) {
        self.height = height
        self.since = since
        self.nextChange = nextChange
        self.hash = set.hash
        self.members = set.members.map { MemberView(address: $0.address, consensusKey: $0.consensusKey, power: $0.power) }
    }

    /// The ledger's set, whose hash a client compares with a header's.
    public var validatorSet: ValidatorSet {
        ValidatorSet(members: self.members.map { .init(address: $0.address, consensusKey: $0.consensusKey, power: $0.power) })
    }
}
