// `deai testnet init`: the homes of a network of N validators on one genesis, each dialling the others.

public import DeAICore
import Foundation
public import Ledger
public import P2P
import APITypes

/// Creates `N` node homes under one directory (`node0` … `nodeN-1`) for a network of `N` validators: one genesis
/// naming every validator with equal stake, each home's `default` key funded and operating its validator, and a
/// `config.json` whose `p2p` listens on its own port and dials every other node. Each is then started with
/// `deai start --home DIR/nodeK`.
///
/// ```swift
/// let testnet = try TestnetInitializer(options: .init(validators: 4)).initialize(directory: "/tmp/testnet", now: now)
/// print(testnet.nodes.map(\.home.path))
/// ```
public struct TestnetInitializer: Sendable {
    /// What `deai testnet init` can choose.
    public struct Options: Sendable {
        /// How many validators (and homes).
        public var validators: Int
        /// The chain's identifier.
        public var chainID: String
        /// The host every node listens on and is dialled at.
        public var host: String
        /// The first port: node K's peer-to-peer port is `basePort + 2K` and its API `basePort + 2K + 1`;
        /// `nil` picks free ports.
        public var basePort: Int?
        /// Each validator's bonded stake.
        public var validatorStake: Amount
        /// Each `default` account's balance.
        public var balance: Amount
        /// The treasury's balance.
        public var treasury: Amount
        /// Whether an existing directory of homes is overwritten.
        public var force: Bool
        /// The consensus timeouts and gossip pace of every node.
        public var consensus: ConsensusConfiguration
        /// Accounts funded at genesis besides the validators' operators (a benchmark's senders).
        public var extraAccounts: [Genesis.FundedAccount]

        /// Options with the defaults: chain `deai-testnet` on 127.0.0.1, free ports, 1,000,000 staked by each
        /// validator, 1,000,000,000 to each `default` key and the treasury, timeouts for one machine.
        public init(
            validators: Int, chainID: String = "deai-testnet", host: String = "127.0.0.1", basePort: Int? = nil,
            validatorStake: Amount = 1_000_000, balance: Amount = 1_000_000_000, treasury: Amount = 1_000_000_000,
            force: Bool = false, consensus: ConsensusConfiguration = .local, extraAccounts: [Genesis.FundedAccount] = []
        ) {
            self.validators = validators
            self.chainID = chainID
            self.host = host
            self.basePort = basePort
            self.validatorStake = validatorStake
            self.balance = balance
            self.treasury = treasury
            self.force = force
            self.consensus = consensus
            self.extraAccounts = extraAccounts
        }
    }

    /// One home of the network.
    public struct Member: Sendable {
        /// The home.
        public var home: NodeHome
        /// The validator's moniker, `validator-K`.
        public var moniker: String
        /// The funded key `default`, the validator's operator.
        public var operatorAddress: Address
        /// Where its peers dial it.
        public var peerAddress: PeerAddress
        /// Its API port.
        public var apiPort: Int
    }

    /// What `deai testnet init` made.
    public struct Result: Sendable {
        /// The shared genesis.
        public var genesis: Genesis
        /// The homes, in validator order.
        public var nodes: [Member]
    }

    /// The most validators a testnet is made with.
    public static let maxValidators = 64

    /// The options.
    public var options: Options

    /// An initializer with `options`.
    public init(options: Options) {
        self.options = options
    }

    /// The home of node `index` under `directory`.
    public static func home(_ index: Int, in directory: String) -> NodeHome {
        NodeHome(path: (directory as NSString).appendingPathComponent("node\(index)"))
    }

    /// Writes the homes.
    /// - Parameter now: The genesis time in milliseconds since 1970.
    /// - Throws: ``NodeError``: `invalidConfiguration` for a count or port out of range, `homeAlreadyInitialized`
    ///   for a home that exists (unless ``Options/force``), `fileSystem`.
    public func initialize(directory: String, now: UInt64) throws -> Result {
        let count = self.options.validators
        guard (1...Self.maxValidators).contains(count) else {
            throw NodeError(.invalidConfiguration, "--validators must be 1 to \(Self.maxValidators), not \(count)")
        }
        let homes = (0..<count).map { Self.home($0, in: directory) }
        for home in homes where home.isInitialized || FileManager.default.fileExists(atPath: home.configurationFile) {
            guard self.options.force else {
                throw NodeError(.homeAlreadyInitialized, "\(home.path) is already initialized; use --force to overwrite the testnet")
            }
            try NodeInitializer.removeChainData(of: home)
        }
        let ports = try self.ports(count: count)
        let nodeKeys = (0..<count).map { _ in SigningKey() }
        let validatorKeys = (0..<count).map { _ in SigningKey() }
        let operatorKeys = (0..<count).map { _ in SigningKey() }
        let genesis = try self.makeGenesis(operators: operatorKeys.map(\.verifyingKey), validators: validatorKeys.map(\.verifyingKey), now: now)
        let addresses = (0..<count).map { PeerAddress(key: nodeKeys[$0].verifyingKey, host: self.options.host, port: ports[$0].p2p) }
        var members: [Member] = []
        for (index, home) in homes.enumerated() {
            try home.createDirectories()
            try KeyFile(key: nodeKeys[index], passphrase: nil).write(to: home.nodeKeyFile)
            try KeyFile(key: validatorKeys[index], passphrase: nil).write(to: home.validatorKeyFile)
            _ = try home.keystore.store(operatorKeys[index], as: NodeInitializer.defaultKeyName, passphrase: nil, overwrite: true)
            try SecureFile.write(try NodeInitializer.encode(genesis), to: home.genesisFile)
            var configuration = NodeConfiguration()
            configuration.api.host = self.options.host
            configuration.api.port = ports[index].api
            configuration.p2p = PeerNetworkConfiguration(
                listenHost: self.options.host, listenPort: ports[index].p2p,
                persistentPeers: addresses.enumerated().filter { $0.offset != index }.map(\.element))
            configuration.consensus = self.options.consensus
            try SecureFile.write(configuration.jsonBytes, to: home.configurationFile)
            members.append(
                Member(
                    home: home, moniker: "validator-\(index)", operatorAddress: operatorKeys[index].verifyingKey.address,
                    peerAddress: addresses[index], apiPort: ports[index].api))
        }
        return Result(genesis: genesis, nodes: members)
    }

    private func ports(count: Int) throws -> [(p2p: Int, api: Int)] {
        if let base = self.options.basePort {
            guard base >= 1, base + 2 * count - 1 <= 65_535 else {
                throw NodeError(.invalidConfiguration, "--base-port \(base) leaves no room for \(count) nodes' ports")
            }
            return (0..<count).map { (base + 2 * $0, base + 2 * $0 + 1) }
        }
        let free = try FreePorts.reserve(2 * count, host: self.options.host)
        return (0..<count).map { (free[2 * $0], free[2 * $0 + 1]) }
    }

    private func makeGenesis(operators: [VerifyingKey], validators: [VerifyingKey], now: UInt64) throws -> Genesis {
        let genesis = Genesis(
            chainID: self.options.chainID,
            genesisTime: now,
            parameters: ChainParameters(),
            accounts: operators.map { .init(address: $0.address, balance: self.options.balance) } + self.options.extraAccounts,
            validators: zip(operators, validators).enumerated().map { index, keys in
                .init(operatorAddress: keys.0.address, consensusKey: keys.1, stake: self.options.validatorStake, moniker: "validator-\(index)")
            },
            treasury: self.options.treasury
        )
        return try NodeInitializer.checked(genesis)
    }
}
