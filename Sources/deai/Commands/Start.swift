// `deai start`: run the node and its configured training roles.

import API
import APITypes
import ArgumentParser
import DeAICore
import Consensus
import Learning
import Logging
import Node
import P2P
import Participants
import Storage

/// `deai start [--api-port N] [--api-host H] [--block-interval-ms N] [--log-level L] [--rebuild] [--passphrase-file FILE]`.
///
/// Options override `config.json` and have no defaults of their own. Once the API is bound, one line
/// `API listening on http://HOST:PORT` is written on stdout (scripts and tests read the port from it); logs go
/// to stderr. SIGINT or SIGTERM stop the node cleanly: the block in flight is committed first.
///
/// The `roles` of `config.json` run beside the node, in the same service group, each talking to the node's own
/// API over loopback with its own key (an encrypted key is opened with `--passphrase-file` or `DEAI_PASSPHRASE`).
/// A role whose data or key cannot be used refuses the start; a role that fails later is logged and the node
/// keeps running.
struct StartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Run the node: produce blocks, serve the HTTP API and run the configured training roles."
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "API port, 0 for any free port (overrides config.json)") var apiPort: Int?
    @Option(help: "API host (overrides config.json)") var apiHost: String?
    @Option(help: "Milliseconds between blocks (overrides config.json)") var blockIntervalMs: Int?
    @Option(help: "trace, debug, info, notice, warning, error or critical (overrides config.json)")
    var logLevel: String?
    @Flag(help: "The database was lost: start from what is left (or the genesis) and catch up from peers, verifying every commit")
    var rebuild = false
    @OptionGroup var passphrase: PassphraseOptions

    func validate() throws {
        if let port = self.apiPort, !(0...65_535).contains(port) {
            throw ValidationError("--api-port must be 0 to 65535")
        }
        if let interval = self.blockIntervalMs, interval < 1 {
            throw ValidationError("--block-interval-ms must be at least 1")
        }
        if let level = self.logLevel, Logger.Level(rawValue: level) == nil {
            throw ValidationError("--log-level must be trace, debug, info, notice, warning, error or critical")
        }
    }

    func run() async throws {
        let home = self.global.nodeHome
        var configuration = try NodeConfiguration(contentsOf: home.configurationFile)
        if let port = self.apiPort { configuration.api.port = port }
        if let host = self.apiHost { configuration.api.host = host }
        if let interval = self.blockIntervalMs { configuration.blockInterval = .milliseconds(interval) }
        if let level = self.logLevel.flatMap(Logger.Level.init(rawValue:)) { configuration.logLevel = level }

        let registry = Observability.bootstrap(logLevel: configuration.logLevel)
        let logger = Logger(label: "deai")
        let node = try await Node.open(
            home: home, configuration: configuration, rebuilding: self.rebuild,
            passphrase: try self.passphrase.passphrase(), logger: logger)
        logger.notice(
            "node started",
            metadata: ["chain.id": "\(node.chain.chainID)", "home": "\(home.path)"]
        )
        let api = configuration.api
        let blobs = try BlobStore(directory: home.blobsDirectory)
        let endpoint = NodeEndpoint()
        let participants = try self.participants(configuration.roles, node: node, endpoint: endpoint, logger: logger)
        let fetchMissingBlob = Self.blobsFromPeers(of: node)
        try await node.run(
            api: { chain, onListening in
                ListeningService(
                    makeAPIApplication(
                        chain: chain, configuration: api, metrics: registry, blobs: blobs,
                        fetchMissingBlob: fetchMissingBlob, logger: logger,
                        onServerRunning: onListening),
                    address: "\(api.host):\(api.port)", purpose: "the API",
                    setting: "--api-port or api.port in config.json")
            },
            participants: participants
        ) { port in
            Output.printFlushed("API listening on http://\(api.host):\(port)")
            endpoint.resolve("http://\(api.localHost):\(port)")
        }
        logger.notice("node stopped")
    }

    /// Where the API looks for a blob its store lacks: the node's peers, when it has any.
    private static func blobsFromPeers(of node: Node) -> (@Sendable (SHA256Digest) async -> [UInt8]?)? {
        guard let peers = node.peerNetwork else { return nil }
        return { hash in await peers.fetchBlob(hash) }
    }

    /// The services of the configured roles, their data read and keys unlocked now.
    private func participants(
        _ roles: [RoleConfiguration], node: Node, endpoint: NodeEndpoint, logger: Logger
    ) throws -> [ParticipantService] {
        guard !roles.isEmpty else { return [] }
        let services = try ParticipantService.services(
            for: roles, home: node.home, passphrase: try self.passphrase.passphrase(), chainID: node.chain.chainID,
            endpoint: endpoint, logger: logger
        )
        for (role, service) in zip(roles, services) {
            logger.notice(
                "participant configured",
                metadata: [
                    "participant": "\(service)", "key": "\(role.keyName)", "data": "\(role.dataFile)",
                    "rows": "\(service.data.table.rows.count)",
                ]
            )
        }
        return services
    }
}
