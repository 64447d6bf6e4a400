// The validators that sign blocks, with their voting power.

public import DeAICore

/// The active validator set: the validators with the most stake, at most `max_validators` of them.
public struct ValidatorSet: Sendable, Hashable, Codable {
    /// One member of the set.
    public struct Member: Sendable, Hashable, Codable, CanonicalCodable {
        /// The operator address.
        public var address: Address
        /// The key that signs votes.
        public var consensusKey: VerifyingKey
        /// Voting power: the stake bonded to it.
        public var power: Amount

        /// A member with every field given.
        public init(address: Address, consensusKey: VerifyingKey, power: Amount) {
            self.address = address
            self.consensusKey = consensusKey
            self.power = power
        }

        public func encode(to encoder: inout CanonicalEncoder) {
            encoder.encode(self.address)
            encoder.encode(self.consensusKey)
            encoder.encode(self.power)
        }

        public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
            self.address = try decoder.decode(Address.self)
            self.consensusKey = try decoder.decode(VerifyingKey.self)
            self.power = try decoder.decodeUInt64()
        }
    }

    /// The members in address order.
    public private(set) var members: [Member]

    /// The set of `members`, sorted by address.
    public init(members: [Member]) {
        self.members = members.sorted { $0.address < $1.address }
    }

    /// The active set of `state`: validators with power and not tombstoned, the `max_validators` largest (ties by
    /// address).
    public init(state: LedgerState) {
        let ranked = state.validators.values
            .filter { $0.power > 0 && !$0.tombstoned }
            .sorted { ($0.power, $1.operatorAddress) > ($1.power, $0.operatorAddress) }
            .prefix(Int(clamping: state.parameters.maxValidators))
        self.init(members: ranked.map { Member(address: $0.operatorAddress, consensusKey: $0.consensusKey, power: $0.power) })
    }

    /// The member with operator address `address`.
    public func member(_ address: Address) -> Member? {
        self.members.first { $0.address == address }
    }

    /// The total voting power.
    public var totalPower: Amount { self.members.reduce(0) { $0 &+ $1.power } }

    /// Merkle root of the members' canonical encodings in address order; the header's `validatorSetHash`.
    public var hash: SHA256Digest { MerkleTree.root(leaves: self.members.map(\.canonicalEncoding)) }
}

extension ValidatorSet: CanonicalCodable {
    /// The members in address order.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.members)
    }

    /// A set of at most 10,000 members; the order is restored, so any order decodes to the same set.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.init(members: try decoder.decodeArray(of: Member.self, maxCount: 10_000))
    }
}
