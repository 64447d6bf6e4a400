// APITypes: validators in JSON.

public import DeAICore
public import Ledger

/// A validator and the stake behind it.
public struct ValidatorView: Codable, Sendable, Hashable {
    /// The operator's account address.
    public var operatorAddress: Address
    /// The key that signs votes and blocks.
    public var consensusKey: VerifyingKey
    /// Its name.
    public var moniker: String
    /// The operator's own stake.
    public var selfStake: Amount
    /// The stake delegated to it.
    public var delegatedStake: Amount
    /// Its voting power: self-stake plus delegations.
    public var power: Amount
    /// The operator's share of delegators' rewards, in basis points.
    public var commissionBasisPoints: UInt16
    /// Whether it is in the active set that signs blocks.
    public var active: Bool

    private enum CodingKeys: String, CodingKey {
        case moniker, power, active
        case operatorAddress = "operator_address", consensusKey = "consensus_key", selfStake = "self_stake"
        case delegatedStake = "delegated_stake", commissionBasisPoints = "commission_basis_points"
    }

    /// The view of `validator`, `active` when it is in the active set.
    public init(_ validator: Validator, active: Bool) {
        self.operatorAddress = validator.operatorAddress
        self.consensusKey = validator.consensusKey
        self.moniker = validator.moniker
        self.selfStake = validator.selfStake
        self.delegatedStake = validator.delegatedStake
        self.power = validator.power
        self.commissionBasisPoints = validator.commissionBasisPoints
        self.active = active
    }
}

/// Every validator at a height, most power first (ties by address).
public struct ValidatorsView: Codable, Sendable, Hashable {
    /// The committed height.
    public var height: Height
    /// The active set's total voting power.
    public var totalPower: Amount
    /// The hash of the active set (a header's `validator_set_hash` for the next block).
    public var validatorSetHash: SHA256Digest
    /// The validators.
    public var validators: [ValidatorView]

    private enum CodingKeys: String, CodingKey {
        case height, validators, totalPower = "total_power", validatorSetHash = "validator_set_hash"
    }

    /// The validators of `state` at `height`.
    public init(state: LedgerState, height: Height) {
        let activeSet = ValidatorSet(state: state)
        let active = Set(activeSet.members.map(\.address))
        self.height = height
        self.totalPower = activeSet.totalPower
        self.validatorSetHash = activeSet.hash
        self.validators = state.validators.values
            .sorted { ($0.power, $1.operatorAddress) > ($1.power, $0.operatorAddress) }
            .map { ValidatorView($0, active: active.contains($0.operatorAddress)) }
    }
}
