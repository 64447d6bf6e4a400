// The chain's governable parameters.

public import DeAICore

/// A token amount in the chain's base unit. Ledger arithmetic is integer only: amounts never touch a float.
public typealias Amount = UInt64

/// A block height. The first block after genesis has height 1.
public typealias Height = UInt64

/// The parameters of the chain, every one of them changeable by a passed governance proposal.
///
/// Ratios are in basis points (1/10,000) so that all rules stay in integer arithmetic. Each parameter has a
/// stable snake_case name used by parameter-change proposals, the genesis file and the API.
public struct ChainParameters: Sendable, Hashable, Codable {
    /// Smallest fee a transaction may offer.
    public var minimumFee: Amount = 1
    /// Largest canonical encoding of a signed transaction, in bytes.
    public var maxTransactionBytes: UInt64 = 16_384
    /// Largest memo, in UTF-8 bytes.
    public var maxMemoBytes: UInt64 = 256
    /// Most transactions a block may carry.
    public var maxBlockTransactions: UInt64 = 20_000
    /// Tokens minted each block: the proposer and its delegators share it, less the treasury's share.
    public var blockReward: Amount = 100
    /// Share of each block reward that goes to the treasury, in basis points.
    public var treasuryShareBasisPoints: UInt64 = 1_000
    /// Blocks between an unstake or undelegate and the return of the tokens.
    public var unbondingPeriod: UInt64 = 20
    /// Most validators in the active set.
    public var maxValidators: UInt64 = 100
    /// Smallest self-stake that creates a validator.
    public var minimumValidatorStake: Amount = 1_000
    /// Total deposit at which a proposal enters its voting period.
    public var proposalMinimumDeposit: Amount = 1_000
    /// Blocks a proposal has to collect its minimum deposit.
    public var depositPeriod: UInt64 = 20
    /// Blocks a proposal is open for votes.
    public var votingPeriod: UInt64 = 10
    /// Share of all bonded stake that must vote for a tally to count, in basis points.
    public var quorumBasisPoints: UInt64 = 3_340
    /// Share of yes among yes + no + veto needed to pass, in basis points (strictly more than this).
    public var thresholdBasisPoints: UInt64 = 5_000
    /// Share of veto among all votes that rejects a proposal and burns its deposits, in basis points.
    public var vetoBasisPoints: UInt64 = 3_340
    /// Share of a double-signing validator's stake (its own, its delegators', and what started unbonding after the
    /// double vote) that goes to the treasury, in basis points.
    public var doubleSignSlashBasisPoints: UInt64 = 500
    /// Smallest ``ServerBond`` a server needs before clients may open payment channels to it.
    public var minimumServerBond: Amount = 1_000
    /// Share of each channel claim that the server keeps, in basis points; the rest goes to the contributors of
    /// the model version served and of its ancestors (``LineageRevenue``).
    public var serverShareBasisPoints: UInt64 = 7_000
    /// Share of a server's bond (and of what it is unbonding) slashed for a proven forged answer, in basis points.
    public var forgerySlashBasisPoints: UInt64 = 10_000
    /// Share of a forgery slash paid to whoever proved it, in basis points; the rest goes to the treasury.
    public var forgeryReporterShareBasisPoints: UInt64 = 5_000
    /// Largest canonical encoding of a transaction that carries ``ForgeryEvidence`` (the weights and the input
    /// ride along), in bytes.
    public var maxEvidenceBytes: UInt64 = 524_288

    /// The parameters with their default values.
    public init() {}

    /// Every parameter name, in a fixed order.
    public static let names: [String] = [
        "minimum_fee", "max_transaction_bytes", "max_memo_bytes", "max_block_transactions", "block_reward",
        "treasury_share_basis_points", "unbonding_period", "max_validators", "minimum_validator_stake",
        "proposal_minimum_deposit", "deposit_period", "voting_period", "quorum_basis_points",
        "threshold_basis_points", "veto_basis_points", "double_sign_slash_basis_points", "minimum_server_bond",
        "server_share_basis_points", "forgery_slash_basis_points", "forgery_reporter_share_basis_points",
        "max_evidence_bytes",
    ]

    private static func keyPath(named name: String) -> WritableKeyPath<ChainParameters, UInt64>? {
        switch name {
        case "minimum_fee": \.minimumFee
        case "max_transaction_bytes": \.maxTransactionBytes
        case "max_memo_bytes": \.maxMemoBytes
        case "max_block_transactions": \.maxBlockTransactions
        case "block_reward": \.blockReward
        case "treasury_share_basis_points": \.treasuryShareBasisPoints
        case "unbonding_period": \.unbondingPeriod
        case "max_validators": \.maxValidators
        case "minimum_validator_stake": \.minimumValidatorStake
        case "proposal_minimum_deposit": \.proposalMinimumDeposit
        case "deposit_period": \.depositPeriod
        case "voting_period": \.votingPeriod
        case "quorum_basis_points": \.quorumBasisPoints
        case "threshold_basis_points": \.thresholdBasisPoints
        case "veto_basis_points": \.vetoBasisPoints
        case "double_sign_slash_basis_points": \.doubleSignSlashBasisPoints
        case "minimum_server_bond": \.minimumServerBond
        case "server_share_basis_points": \.serverShareBasisPoints
        case "forgery_slash_basis_points": \.forgerySlashBasisPoints
        case "forgery_reporter_share_basis_points": \.forgeryReporterShareBasisPoints
        case "max_evidence_bytes": \.maxEvidenceBytes
        default: nil
        }
    }

    /// The value of the parameter called `name`, or `nil` if there is none.
    public func value(named name: String) -> UInt64? {
        Self.keyPath(named: name).map { self[keyPath: $0] }
    }

    /// Sets the parameter called `name`, after checking the value is allowed.
    /// - Throws: ``LedgerError/unknownParameter(name:)`` or ``LedgerError/invalidParameterValue(name:value:reason:)``.
    public mutating func set(_ name: String, to value: UInt64) throws(LedgerError) {
        guard let keyPath = Self.keyPath(named: name) else { throw .unknownParameter(name: name) }
        try Self.validate(name, value)
        self[keyPath: keyPath] = value
    }

    /// Checks a value before it is set: basis points at most 10,000, periods and limits at least 1.
    public static func validate(_ name: String, _ value: UInt64) throws(LedgerError) {
        guard self.keyPath(named: name) != nil else { throw .unknownParameter(name: name) }
        if name.hasSuffix("basis_points"), value > 10_000 {
            throw .invalidParameterValue(name: name, value: value, reason: "basis points cannot exceed 10000")
        }
        let mustBePositive: Set<String> = [
            "max_transaction_bytes", "max_block_transactions", "max_validators", "deposit_period", "voting_period",
            "threshold_basis_points", "max_evidence_bytes",
        ]
        if mustBePositive.contains(name), value == 0 {
            throw .invalidParameterValue(name: name, value: value, reason: "must be at least 1")
        }
        if name == "threshold_basis_points", value >= 10_000 {
            // Passing needs a yes share strictly above the threshold: at 10000 nothing could ever pass again.
            throw .invalidParameterValue(name: name, value: value, reason: "must be below 10000, or no proposal could pass")
        }
        if name == "max_transaction_bytes", value < 256 {
            throw .invalidParameterValue(name: name, value: value, reason: "must be at least 256 bytes")
        }
    }
}

extension ChainParameters: CanonicalCodable {
    /// Encodes every parameter in the fixed order of ``names``.
    public func encode(to encoder: inout CanonicalEncoder) {
        for name in Self.names { encoder.encode(self.value(named: name) ?? 0) }
    }

    /// Decodes every parameter in the fixed order of ``names``.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.init()
        for name in Self.names {
            let offset = decoder.offset
            let value = try decoder.decodeUInt64()
            do { try self.set(name, to: value) } catch {
                throw .invalidValue(offset: offset, reason: error.description)
            }
        }
    }
}
