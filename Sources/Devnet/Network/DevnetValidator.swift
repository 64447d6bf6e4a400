// The devnet's validator node: chain, database, blob store, HTTP API and block production.

import API
import APITypes
import Consensus
import DeAICore
import Foundation
import Ledger
import Logging
import Node
import ServiceLifecycle
import Storage

/// The one validator of a devnet: a real node with its SQLite database and blob store on disk, serving the HTTP
/// API on 127.0.0.1 with an ephemeral port, producing a block as soon as transactions wait.
final class DevnetValidator: Sendable {
    let chain: Chain
    let url: String
    private let group: ServiceGroup
    private let running: Task<Void, any Error>

    private init(chain: Chain, url: String, group: ServiceGroup, running: Task<Void, any Error>) {
        self.chain = chain
        self.url = url
        self.group = group
        self.running = running
    }

    /// Starts the node in `directory` with `genesis`, and returns once its API answers.
    static func start(
        directory: String, genesis: Genesis, key: SigningKey, logger: Logger, port: Int = 0
    ) async throws -> DevnetValidator {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let database = try NodeDatabase(path: directory + "/chain.sqlite")
        let chain = try await Chain.open(database: database, genesis: genesis, validatorKey: key, logger: logger)
        let blobs = try BlobStore(directory: directory + "/blobs")
        var api = APIConfiguration()
        api.host = "127.0.0.1"
        api.port = port
        api.maxBodyBytes = 64 << 20
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = makeAPIApplication(chain: chain, configuration: api, metrics: nil, blobs: blobs, logger: logger) { port in
            portContinuation.yield(port)
        }
        let producer = BlockProductionService(
            chain: chain, interval: .milliseconds(50), eagerInterval: .milliseconds(2), logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [.init(service: application), .init(service: producer)], logger: logger))
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else {
            running.cancel()
            throw DevnetError.failed(step: "starting the validator's API", reason: "the server stopped before it listened")
        }
        return DevnetValidator(chain: chain, url: "http://127.0.0.1:\(bound)", group: group, running: running)
    }

    /// Stops the node gracefully: the block in flight is committed first.
    func stop() async {
        await self.group.triggerGracefulShutdown()
        _ = try? await self.running.value
    }
}
