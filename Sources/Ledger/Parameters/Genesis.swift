// The genesis file: the chain's first state.

public import DeAICore

/// The genesis of a chain, read from a JSON file: its identifier, start time, parameters, funded accounts,
/// first validators and treasury.
///
/// ```json
/// { "chain_id": "deai-local", "genesis_time": 1764000000000,
///   "parameters": { "block_reward": 100, "voting_period": 10 },
///   "accounts": [ { "address": "deai1…", "balance": 1000000 } ],
///   "validators": [ { "operator_address": "deai1…", "consensus_key": "…hex…", "stake": 100000, "moniker": "v0" } ],
///   "treasury": 1000000 }
/// ```
/// Parameters left out keep their defaults.
public struct Genesis: Sendable, Hashable, Codable {
    /// A funded account at genesis.
    public struct FundedAccount: Sendable, Hashable, Codable {
        public var address: Address
        public var balance: Amount

        public init(address: Address, balance: Amount) {
            self.address = address
            self.balance = balance
        }
    }

    /// A validator at genesis; its stake is bonded from nothing (it is part of the initial supply).
    public struct GenesisValidator: Sendable, Hashable, Codable {
        public var operatorAddress: Address
        public var consensusKey: VerifyingKey
        public var stake: Amount
        public var moniker: String
        public var commissionBasisPoints: UInt16

        private enum CodingKeys: String, CodingKey {
            case operatorAddress = "operator_address", consensusKey = "consensus_key", stake, moniker
            case commissionBasisPoints = "commission_basis_points"
        }

        public init(operatorAddress: Address, consensusKey: VerifyingKey, stake: Amount, moniker: String, commissionBasisPoints: UInt16 = 500) {
            self.operatorAddress = operatorAddress
            self.consensusKey = consensusKey
            self.stake = stake
            self.moniker = moniker
            self.commissionBasisPoints = commissionBasisPoints
        }

        /// Decodes a validator; a commission left out is 500 basis points, as in the memberwise initializer.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.operatorAddress = try container.decode(Address.self, forKey: .operatorAddress)
            self.consensusKey = try container.decode(VerifyingKey.self, forKey: .consensusKey)
            self.stake = try container.decode(Amount.self, forKey: .stake)
            self.moniker = try container.decode(String.self, forKey: .moniker)
            self.commissionBasisPoints =
                try container.decodeIfPresent(UInt16.self, forKey: .commissionBasisPoints) ?? 500
        }
    }

    private enum CodingKeys: String, CodingKey {
        case chainID = "chain_id", genesisTime = "genesis_time", parameters, accounts, validators, treasury
    }

    /// The chain's identifier, signed into every transaction and vote.
    public var chainID: String
    /// The genesis time, in milliseconds since 1970; the first block's time is not before it.
    public var genesisTime: UInt64
    /// The initial parameters.
    public var parameters: ChainParameters
    /// The funded accounts.
    public var accounts: [FundedAccount]
    /// The first validators.
    public var validators: [GenesisValidator]
    /// The treasury's initial balance.
    public var treasury: Amount

    /// A genesis with every field given.
    public init(
        chainID: String, genesisTime: UInt64, parameters: ChainParameters = ChainParameters(),
        accounts: [FundedAccount], validators: [GenesisValidator], treasury: Amount = 0
    ) {
        self.chainID = chainID
        self.genesisTime = genesisTime
        self.parameters = parameters
        self.accounts = accounts
        self.validators = validators
        self.treasury = treasury
    }

    /// The state at height 0.
    /// - Throws: ``LedgerError`` when the genesis is inconsistent: an empty chain ID, a duplicate account or
    ///   validator, no validator, or a supply that overflows.
    public func makeState() throws(LedgerError) -> LedgerState {
        guard !self.chainID.isEmpty, self.chainID.utf8.count <= 64 else {
            throw .malformedTransaction(reason: "genesis: the chain ID must have 1 to 64 bytes")
        }
        guard !self.validators.isEmpty else { throw .invalidBlock(height: 0, reason: "genesis has no validator") }
        var state = LedgerState(chainID: self.chainID, parameters: self.parameters)
        var supply = self.treasury
        for funded in self.accounts {
            guard state.accounts[funded.address] == nil else {
                throw .invalidBlock(height: 0, reason: "genesis funds \(funded.address) twice")
            }
            state.setAccount(Account(balance: funded.balance), for: funded.address)
            supply = try StateTransition.sum(supply, funded.balance)
        }
        for validator in self.validators {
            guard state.validators[validator.operatorAddress] == nil else {
                throw .validatorAlreadyExists(validator.operatorAddress)
            }
            guard validator.commissionBasisPoints <= 10_000 else {
                throw .commissionTooHigh(basisPoints: validator.commissionBasisPoints)
            }
            state.setValidator(
                Validator(
                    operatorAddress: validator.operatorAddress, consensusKey: validator.consensusKey,
                    moniker: validator.moniker, selfStake: validator.stake,
                    commissionBasisPoints: validator.commissionBasisPoints
                ),
                for: validator.operatorAddress
            )
            supply = try StateTransition.sum(supply, validator.stake)
        }
        state.globals.treasury = self.treasury
        state.globals.totalSupply = supply
        state.globals.blockTime = self.genesisTime
        return state
    }

    /// The hash that block 1 names as its previous block: it binds the chain ID, genesis time and initial state.
    public static func hash(chainID: String, genesisTime: UInt64, stateRoot: SHA256Digest) -> SHA256Digest {
        var encoder = CanonicalEncoder()
        encoder.encode(chainID)
        encoder.encode(genesisTime)
        encoder.encode(stateRoot)
        return SHA256Digest(domain: "deai/genesis", hashing: encoder.bytes)
    }
}

extension ChainParameters {
    private struct NameKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes a JSON object of snake_case names; names left out keep their defaults, unknown names are errors.
    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: NameKey.self)
        for key in container.allKeys {
            let value = try container.decode(UInt64.self, forKey: key)
            do { try self.set(key.stringValue, to: value) } catch {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: error.description)
            }
        }
    }

    /// Encodes every parameter under its snake_case name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: NameKey.self)
        for name in Self.names { try container.encode(self.value(named: name) ?? 0, forKey: NameKey(stringValue: name)) }
    }
}
