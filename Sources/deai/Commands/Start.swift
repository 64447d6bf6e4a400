// `deai start`: run the node.

import API
import ArgumentParser
import Consensus
import Logging
import Node
import Storage

/// `deai start [--api-port N] [--api-host H] [--block-interval-ms N] [--log-level L]`.
///
/// Options override `config.json` and have no defaults of their own. Once the API is bound, one line
/// `API listening on http://HOST:PORT` is written on stdout (scripts and tests read the port from it); logs go
/// to stderr. SIGINT or SIGTERM stop the node cleanly: the block in flight is committed first.
struct StartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Run the node: produce blocks and serve the HTTP API until SIGINT or SIGTERM."
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "API port, 0 for any free port (overrides config.json)") var apiPort: Int?
    @Option(help: "API host (overrides config.json)") var apiHost: String?
    @Option(help: "Milliseconds between blocks (overrides config.json)") var blockIntervalMs: Int?
    @Option(help: "trace, debug, info, notice, warning, error or critical (overrides config.json)")
    var logLevel: String?

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
        let node = try await Node.open(home: home, configuration: configuration, logger: logger)
        logger.notice(
            "node started",
            metadata: ["chain.id": "\(node.chain.chainID)", "home": "\(home.path)"]
        )
        let api = configuration.api
        let blobs = try BlobStore(directory: home.blobsDirectory)
        try await node.run { chain in
            makeAPIApplication(chain: chain, configuration: api, metrics: registry, blobs: blobs, logger: logger) { port in
                Output.printFlushed("API listening on http://\(api.host):\(port)")
            }
        }
        logger.notice("node stopped")
    }
}
