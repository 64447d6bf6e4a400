// A validator and the stake behind it.

public import DeAICore

/// A validator: an operator account that signs blocks with a consensus key, backed by its own stake and the
/// stake delegated to it.
public struct Validator: Sendable, Hashable, Codable {
    /// The operator's account address (the sender of `create_validator`).
    public var operatorAddress: Address
    /// The key that signs votes and blocks.
    public var consensusKey: VerifyingKey
    /// A human-readable name.
    public var moniker: String
    /// The operator's own bonded stake.
    public var selfStake: Amount
    /// The sum of all delegations to this validator.
    public var delegatedStake: Amount
    /// Share of the delegators' rewards kept by the operator, in basis points.
    public var commissionBasisPoints: UInt16
    /// Whether it was punished for signing two conflicting votes: it left the validator set for good, takes no
    /// new stake, and its consensus key can never be used again.
    public var tombstoned: Bool = false

    /// A validator with every field given.
    public init(
        operatorAddress: Address, consensusKey: VerifyingKey, moniker: String, selfStake: Amount,
        delegatedStake: Amount = 0, commissionBasisPoints: UInt16 = 0
    ) {
        self.operatorAddress = operatorAddress
        self.consensusKey = consensusKey
        self.moniker = moniker
        self.selfStake = selfStake
        self.delegatedStake = delegatedStake
        self.commissionBasisPoints = commissionBasisPoints
    }

    /// The validator's voting power in consensus: all stake bonded to it.
    public var power: Amount { self.selfStake &+ self.delegatedStake }
}

extension Validator: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.operatorAddress)
        encoder.encode(self.consensusKey)
        encoder.encode(self.moniker)
        encoder.encode(self.selfStake)
        encoder.encode(self.delegatedStake)
        encoder.encode(self.commissionBasisPoints)
        encoder.encode(self.tombstoned)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.operatorAddress = try decoder.decode(Address.self)
        self.consensusKey = try decoder.decode(VerifyingKey.self)
        self.moniker = try decoder.decodeString(maxBytes: 64)
        self.selfStake = try decoder.decodeUInt64()
        self.delegatedStake = try decoder.decodeUInt64()
        self.commissionBasisPoints = try decoder.decodeUInt16()
        self.tombstoned = try decoder.decodeBool()
    }
}

/// Tokens on their way back to an account after an unstake or undelegate.
public struct Unbonding: Sendable, Hashable, Codable {
    /// The account that gets the tokens back.
    public var owner: Address
    /// The validator the tokens were bonded to.
    public var validator: Address
    /// How many tokens.
    public var amount: Amount
    /// The height of the block that started the unbonding: a double vote before it is still punished on these
    /// tokens.
    public var startHeight: Height
    /// The height at the end of which the tokens are credited.
    public var completionHeight: Height

    /// An unbonding entry with every field given.
    public init(owner: Address, validator: Address, amount: Amount, startHeight: Height, completionHeight: Height) {
        self.owner = owner
        self.validator = validator
        self.amount = amount
        self.startHeight = startHeight
        self.completionHeight = completionHeight
    }
}

extension Unbonding: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.owner)
        encoder.encode(self.validator)
        encoder.encode(self.amount)
        encoder.encode(self.startHeight)
        encoder.encode(self.completionHeight)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.owner = try decoder.decode(Address.self)
        self.validator = try decoder.decode(Address.self)
        self.amount = try decoder.decodeUInt64()
        self.startHeight = try decoder.decodeUInt64()
        self.completionHeight = try decoder.decodeUInt64()
    }
}

/// A delegation is identified by the delegator and the validator.
public struct DelegationKey: Sendable, Hashable, Comparable, Codable {
    /// The account that delegated.
    public var delegator: Address
    /// The validator delegated to.
    public var validator: Address

    /// The key of `delegator`'s delegation to `validator`.
    public init(delegator: Address, validator: Address) {
        self.delegator = delegator
        self.validator = validator
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.delegator, lhs.validator) < (rhs.delegator, rhs.validator)
    }
}
