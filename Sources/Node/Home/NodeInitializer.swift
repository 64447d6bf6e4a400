// `deai init`: a new home with keys, configuration and a one-validator genesis.

public import DeAICore
import Foundation
public import Ledger

/// Creates a node's home: configuration, genesis, node and validator keys, and a funded key named `default`.
///
/// The genesis has one validator, whose operator is the `default` key (so the same key can vote on proposals
/// from the CLI) and whose consensus key is `validator_key.json`; the `default` account and the treasury are
/// funded, so a newcomer can transact at once.
///
/// ```swift
/// let result = try NodeInitializer(options: .init(chainID: "deai-local")).initialize(NodeHome(path: "~/.deai"))
/// print(result.defaultKey.address)
/// ```
public struct NodeInitializer: Sendable {
    /// What `deai init` can choose.
    public struct Options: Sendable {
        /// The new chain's identifier.
        public var chainID: String
        /// The governance voting period in blocks; `nil` keeps the parameter's default.
        public var votingPeriod: UInt64?
        /// Whether an existing home is overwritten (its chain data is deleted).
        public var force: Bool
        /// The balance of the `default` account at genesis.
        public var defaultBalance: Amount
        /// The validator's bonded self-stake at genesis.
        public var validatorStake: Amount
        /// The treasury's balance at genesis.
        public var treasury: Amount
        /// A passphrase that encrypts every key of the home — `default`, the validator's and the node's — if any.
        public var passphrase: String?

        /// Options with the defaults: chain `deai-local`, 1,000,000,000 to `default`, 1,000,000 staked,
        /// 1,000,000,000 in the treasury.
        public init(
            chainID: String = "deai-local",
            votingPeriod: UInt64? = nil,
            force: Bool = false,
            defaultBalance: Amount = 1_000_000_000,
            validatorStake: Amount = 1_000_000,
            treasury: Amount = 1_000_000_000,
            passphrase: String? = nil
        ) {
            self.chainID = chainID
            self.votingPeriod = votingPeriod
            self.force = force
            self.defaultBalance = defaultBalance
            self.validatorStake = validatorStake
            self.treasury = treasury
            self.passphrase = passphrase
        }
    }

    /// What `deai init` made.
    public struct Result: Sendable {
        /// The home.
        public var home: NodeHome
        /// The genesis written to `genesis.json`.
        public var genesis: Genesis
        /// The funded key `default`, also the validator's operator.
        public var defaultKey: KeyInfo
        /// The validator's consensus public key.
        public var validatorKey: VerifyingKey
        /// The node's identity public key.
        public var nodeKey: VerifyingKey
    }

    /// The name of the funded key that operates the genesis validator.
    public static let defaultKeyName = "default"

    /// The options.
    public var options: Options
    /// The scrypt cost used if `default` is encrypted.
    public var kdf: ScryptParameters

    /// An initializer with `options`.
    public init(options: Options, kdf: ScryptParameters = .default) {
        self.options = options
        self.kdf = kdf
    }

    /// Creates the home.
    ///
    /// - Parameter now: The genesis time in milliseconds since 1970 (the caller reads the clock).
    /// - Throws: ``NodeError``: `homeAlreadyInitialized` unless ``Options/force``; `invalidConfiguration` for
    ///   a bad chain ID or voting period; `fileSystem`.
    public func initialize(_ home: NodeHome, now: UInt64) throws -> Result {
        if home.isInitialized || FileManager.default.fileExists(atPath: home.configurationFile) {
            guard self.options.force else {
                throw NodeError(
                    .homeAlreadyInitialized,
                    "\(home.path) is already initialized; use --force to overwrite it (its chain data is deleted)"
                )
            }
            try Self.removeChainData(of: home)
        }
        try home.createDirectories()

        var keystore = home.keystore
        keystore.kdf = self.kdf
        // A `default` key made before `init` (and not replaced by --force) is kept: it may hold funds elsewhere.
        let existingDefault = self.options.force ? nil : try? keystore.info(Self.defaultKeyName)
        let newOperatorKey = SigningKey()
        let operatorPublicKey = existingDefault?.publicKey ?? newOperatorKey.verifyingKey
        let nodeKey = SigningKey()
        let validatorKey = SigningKey()
        let genesis = try self.makeGenesis(operator: operatorPublicKey, validator: validatorKey.verifyingKey, now: now)

        try KeyFile(key: nodeKey, passphrase: self.options.passphrase).write(to: home.nodeKeyFile)
        try KeyFile(key: validatorKey, passphrase: self.options.passphrase).write(to: home.validatorKeyFile)
        let defaultKey =
            try existingDefault
            ?? keystore.store(
                newOperatorKey,
                as: Self.defaultKeyName,
                passphrase: self.options.passphrase,
                overwrite: true
            )
        try SecureFile.write(try Self.encode(genesis), to: home.genesisFile)
        try SecureFile.write(NodeConfiguration().jsonBytes, to: home.configurationFile)
        return Result(
            home: home,
            genesis: genesis,
            defaultKey: defaultKey,
            validatorKey: validatorKey.verifyingKey,
            nodeKey: nodeKey.verifyingKey
        )
    }

    private func makeGenesis(operator operatorKey: VerifyingKey, validator: VerifyingKey, now: UInt64) throws -> Genesis
    {
        var parameters = ChainParameters()
        if let votingPeriod = self.options.votingPeriod {
            do {
                try parameters.set("voting_period", to: votingPeriod)
            } catch {
                throw NodeError(.invalidConfiguration, "--voting-period \(votingPeriod): \(error)")
            }
        }
        let genesis = Genesis(
            chainID: self.options.chainID,
            genesisTime: now,
            parameters: parameters,
            accounts: [.init(address: operatorKey.address, balance: self.options.defaultBalance)],
            validators: [
                .init(
                    operatorAddress: operatorKey.address,
                    consensusKey: validator,
                    stake: self.options.validatorStake,
                    moniker: "validator-0"
                )
            ],
            treasury: self.options.treasury
        )
        return try Self.checked(genesis)
    }

    /// `genesis`, once its state can be made from it.
    /// - Throws: ``NodeError`` (`invalidConfiguration`) saying why the genesis would be invalid.
    static func checked(_ genesis: Genesis) throws -> Genesis {
        do {
            _ = try genesis.makeState()
        } catch {
            throw NodeError(.invalidConfiguration, "the genesis would be invalid: \(error)")
        }
        return genesis
    }

    static func encode(_ genesis: Genesis) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(genesis)) + [UInt8(ascii: "\n")]
        } catch {
            throw NodeError(.invalidConfiguration, "cannot encode the genesis", cause: error)
        }
    }

    /// Deletes the database of a home being re-initialized: it belongs to the old genesis.
    static func removeChainData(of home: NodeHome) throws {
        guard FileManager.default.fileExists(atPath: home.dataDirectory) else { return }
        do {
            try FileManager.default.removeItem(atPath: home.dataDirectory)
        } catch {
            throw NodeError(.fileSystem, "cannot delete \(home.dataDirectory)", cause: error)
        }
    }
}

extension NodeHome {
    /// Reads `genesis.json`.
    ///
    /// - Throws: ``NodeError``: `homeNotInitialized` when missing, `invalidConfiguration` when it does not parse.
    public func loadGenesis() throws -> Genesis {
        guard FileManager.default.fileExists(atPath: self.genesisFile) else {
            throw NodeError(
                .homeNotInitialized,
                "no genesis at \(self.genesisFile): run `deai init --home \(self.path)` first"
            )
        }
        return try Self.readGenesis(at: self.genesisFile)
    }

    /// The genesis in the file at `path`, such as a network's published `genesis.json`.
    /// - Throws: ``NodeError`` naming the file when it cannot be read or is not a genesis.
    public static func readGenesis(at path: String) throws -> Genesis {
        do {
            return try JSONDecoder().decode(Genesis.self, from: try SecureFile.read(path))
        } catch let error as NodeError {
            throw error
        } catch {
            throw NodeError(.invalidConfiguration, "genesis file \(path) is not valid", cause: error)
        }
    }
}
