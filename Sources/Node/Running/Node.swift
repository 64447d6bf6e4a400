// A running node: its chain, block production, API and training roles in one ServiceGroup.

public import Consensus
import DeAICore
import Ledger
public import Logging
public import P2P
public import ServiceLifecycle
import Storage
import UnixSignals

/// One node of a DeAI chain, opened from its home directory: the one wiring of a node, which `deai start`, the
/// devnet's validator, `deai bench chain` and the tests all run.
///
/// ```swift
/// let node = try await Node.open(home: home, configuration: configuration, logger: logger)
/// try await node.run(api: { chain, onListening in makeAPIApplication(chain: chain, …, onServerRunning: onListening) })
/// ```
/// ``run(api:participants:consensus:onAPIListening:)`` runs block production (or consensus with other validators),
/// the API and the participant roles in one `ServiceGroup` that shuts down gracefully on SIGTERM and SIGINT: the
/// roles stop first, then the API, then the block in flight is committed and production stops.
/// ``start(api:participants:consensus:)`` runs the same group in the background and returns once the API listens.
public struct Node: Sendable {
    /// Builds the API service once the chain is open; it must call `onListening` with its port once it listens.
    /// `deai start` passes one that calls `makeAPIApplication` with its Prometheus registry (the registry type
    /// stays out of this target).
    public typealias APIServiceFactory =
        @Sendable (_ chain: Chain, _ onListening: @escaping @Sendable (Int) async -> Void) -> any Service

    /// The home directory.
    public let home: NodeHome
    /// The configuration.
    public let configuration: NodeConfiguration
    /// The open chain.
    public let chain: Chain
    /// The node's links to its peers, when `config.json` has a `p2p` object; it listens once the node runs.
    public let peerNetwork: PeerNetwork?
    private let logger: Logger

    private init(home: NodeHome, configuration: NodeConfiguration, chain: Chain, peerNetwork: PeerNetwork?, logger: Logger) {
        self.home = home
        self.configuration = configuration
        self.chain = chain
        self.peerNetwork = peerNetwork
        self.logger = logger
    }

    /// Opens the node's database and chain.
    ///
    /// - Throws: ``NodeError``: `homeNotInitialized` when `deai init` has not run; `invalidKeyFile` for a bad
    ///   validator key; `databaseMismatch`, naming the file, when the database is corrupt or belongs to
    ///   another chain; `databaseBehind` when it is behind what the validator signed (lost, truncated or rolled
    ///   back) and not `rebuilding`; `validatorKeyChanged` when the validator key file holds another key than the
    ///   one that signed; `invalidConfiguration` when `rebuilding` without peers to rebuild from.
    /// - Parameter rebuilding: The database was lost: open what is left of it (or a new one) even though the
    ///   validator signed beyond it, and catch up from the peers of `configuration.p2p`, verifying every commit.
    /// - Parameter passphrase: Decrypts the validator and node keys when they are encrypted (`passphraseRequired`
    ///   or `wrongPassphrase` otherwise).
    public static func open(
        home: NodeHome, configuration: NodeConfiguration, rebuilding: Bool = false, passphrase: String? = nil,
        logger: Logger
    ) async throws -> Node {
        if rebuilding, configuration.p2p?.persistentPeers.isEmpty ?? true {
            throw NodeError(
                .invalidConfiguration,
                "--rebuild fetches the chain from peers, but \(home.configurationFile) names none (p2p.persistent_peers)")
        }
        let genesis = try home.loadGenesis()
        let validatorKey = try KeyFile.read(from: home.validatorKeyFile)
            .signingKey(passphrase: passphrase, path: home.validatorKeyFile)
        try SecureFile.createDirectory(home.dataDirectory)
        let database = try Self.openDatabase(home.databaseFile)
        let chain: Chain
        do {
            chain = try await Chain.open(
                database: database,
                genesis: genesis,
                validatorKey: validatorKey,
                signingRecord: SigningRecordFile(path: home.signingRecordFile),
                configuration: configuration.chain,
                rebuilding: rebuilding,
                logger: logger
            )
        } catch {
            throw Self.databaseError(error, file: home.databaseFile)
        }
        let peerNetwork = try configuration.p2p.map { p2p in
            let nodeKey = try KeyFile.read(from: home.nodeKeyFile).signingKey(passphrase: passphrase, path: home.nodeKeyFile)
            let hello = PeerHello(chainID: chain.chainID, genesisHash: chain.genesisHash)
            let blobs = StoredBlobs(store: try BlobStore(directory: home.blobsDirectory))
            do {
                return try PeerNetwork(nodeKey: nodeKey, hello: hello, configuration: p2p, blobs: blobs, logger: logger)
            } catch {
                throw NodeError(.invalidKeyFile, "no TLS certificate could be made for node key \(home.nodeKeyFile): \(error)", cause: error)
            }
        }
        return Node(home: home, configuration: configuration, chain: chain, peerNetwork: peerNetwork, logger: logger)
    }

    /// Runs block production, the API when `api` is given, and `participants`, until SIGTERM or SIGINT.
    ///
    /// - Parameters:
    ///   - consensus: the peers to decide blocks with, by Tendermint rounds (``ConsensusService``); without, the
    ///     peers of `config.json`'s `p2p` (``peerNetwork``), and without those the node's validator decides alone
    ///     (``BlockProductionService``), which needs more than two thirds of the power.
    ///   - participants: Services that take part in training beside the node, such as the trainer and evaluator
    ///     roles of `config.json`. They start after the API and stop before it. Each one that ends or fails is
    ///     logged (named by its description) and leaves the node running: a role is one member's work in one
    ///     task, not the node's.
    ///   - onAPIListening: Called once the API listens, with its port.
    /// - Throws: The error of a node service that failed (for example the API could not bind its port).
    public func run(
        api: APIServiceFactory?, participants: [any Service] = [], consensus: ConsensusService.Settings? = nil,
        onAPIListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try await self.serviceGroup(
            api: api, participants: participants, consensus: consensus, signals: [.sigterm, .sigint],
            onAPIListening: onAPIListening
        ).run()
    }

    /// Runs the node as ``run(api:participants:consensus:onAPIListening:)`` does, in the background and deaf to signals, and
    /// returns once its API listens; ``RunningNode/stop()`` shuts it down gracefully.
    /// - Throws: ``NodeError`` (`apiUnavailable`) when the node stops before its API listens, with the error that
    ///   stopped it.
    public func start(
        api: @escaping APIServiceFactory, participants: [any Service] = [], consensus: ConsensusService.Settings? = nil
    ) async throws -> RunningNode {
        let (ports, port) = AsyncStream.makeStream(of: Int.self)
        let group = self.serviceGroup(api: api, participants: participants, consensus: consensus, signals: []) { listening in
            port.yield(listening)
            port.finish()
        }
        let running = Task {
            defer { port.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let listening = await iterator.next() else {
            do {
                try await running.value
            } catch {
                throw NodeError(.apiUnavailable, "the node stopped before its API listened: \(error)", cause: error)
            }
            throw NodeError(.apiUnavailable, "the node stopped before its API listened")
        }
        return RunningNode(node: self, apiPort: listening, group: group, running: running)
    }

    /// The node's services in one group: consensus with `consensus`'s peers or block production alone, then the
    /// API, then `participants`.
    private func serviceGroup(
        api: APIServiceFactory?, participants: [any Service], consensus: ConsensusService.Settings?,
        signals: [UnixSignal], onAPIListening: @escaping @Sendable (Int) async -> Void
    ) -> ServiceGroup {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        let consensus = consensus ?? self.peerNetwork.map { network in
            services.append(
                .init(
                    service: PeerNetworkService(network: network),
                    successTerminationBehavior: .gracefullyShutdownGroup,
                    failureTerminationBehavior: .gracefullyShutdownGroup,
                    serviceName: "p2p"
                )
            )
            return ConsensusService.Settings(
                network: network, timeouts: self.configuration.consensus.timeouts,
                gossipInterval: self.configuration.consensus.gossipInterval)
        }
        let blocks: any Service =
            if let consensus {
                ConsensusService(chain: self.chain, settings: consensus, logger: self.logger)
            } else {
                BlockProductionService(
                    chain: self.chain, interval: self.configuration.blockInterval,
                    eagerInterval: self.configuration.eagerBlockInterval, logger: self.logger)
            }
        services.append(
            .init(
                service: blocks,
                successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup,
                serviceName: consensus == nil ? "block-production" : "consensus"
            )
        )
        if let api {
            services.append(
                .init(
                    service: api(self.chain, onAPIListening),
                    successTerminationBehavior: .gracefullyShutdownGroup,
                    failureTerminationBehavior: .gracefullyShutdownGroup,
                    serviceName: "api"
                )
            )
        }
        for participant in participants {
            services.append(
                .init(
                    service: SupervisedService(participant, logger: self.logger),
                    successTerminationBehavior: .ignore,
                    failureTerminationBehavior: .ignore,
                    serviceName: "participant"
                )
            )
        }
        return ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services,
                gracefulShutdownSignals: signals,
                logger: self.logger
            )
        )
    }

    // MARK: - Opening the database

    /// Opens the database; `Chain.open` then checks that it holds this genesis's chain (or none yet).
    private static func openDatabase(_ path: String) throws -> NodeDatabase {
        do {
            return try NodeDatabase(path: path)
        } catch {
            throw Self.databaseError(error, file: path)
        }
    }

    private static func databaseError(_ error: any Error, file: String) -> NodeError {
        if let error = error as? NodeError { return error }
        if case ConsensusError.databaseBehindSignatures = error {
            return NodeError(
                .databaseBehind,
                "database \(file): \(error). Or start with `deai start --rebuild` to fetch the chain from peers, "
                    + "verifying every commit: the validator then signs nothing until consensus is past what it signed")
        }
        if case ConsensusError.validatorKeyChanged = error {
            return NodeError(.validatorKeyChanged, "\(error)")
        }
        if let error = error as? StorageError {
            let message = error.message.contains(file) ? error.message : "database \(file): \(error.message)"
            return NodeError(.databaseMismatch, message, cause: error.cause)
        }
        return NodeError(.databaseMismatch, "database \(file) cannot be used: \(error)")
    }
}
