// NodeTests: a chain with API servers in front of it on loopback, ephemeral ports, for the client's tests.

import API
import APITypes
import Consensus
import DeAICore
import DeAITesting
import Foundation
import Hummingbird
import Ledger
import Logging
import Node
import ServiceLifecycle
import Storage
import Synchronization
import Testing

/// A one-validator chain of ``ChainFixtures`` (accounts 0–7 funded) on a temporary database, and blob stores
/// under the same directory. Blocks are produced by calling ``produceBlock()``: no timers.
struct LiveChain {
    static let logger = Logger(label: "deai.node.tests") { _ in SwiftLogNoOpLogHandler() }
    /// The validator's operator, which holds stake: the servers store the blobs it signs, named by the chain or not.
    static let stakedUploader = BlobUploader(key: ChainFixtures.key(ChainFixtures.validatorIndex), chainID: ChainFixtures.chainID)

    let chain: Chain
    let directory: String
    private let nonces = NonceBook()

    /// Runs `body` with a fresh chain, then deletes its directory.
    static func with<Result>(_ body: (LiveChain) async throws -> Result) async throws -> Result {
        try await withTemporaryDirectory { directory in
            let database = try NodeDatabase(path: directory + "/node.sqlite")
            let chain = try await Chain.open(
                database: database, genesis: ChainFixtures.genesis(), validatorKey: ChainFixtures.consensusKey,
                logger: Self.logger
            )
            return try await body(LiveChain(chain: chain, directory: directory))
        }
    }

    /// A new, empty blob store named `name`.
    func blobStore(_ name: String) throws -> BlobStore {
        try BlobStore(directory: self.directory + "/blobs-" + name)
    }

    /// Produces and commits the next block.
    @discardableResult
    func produceBlock() async throws -> Block {
        let height = await self.chain.view.height
        let block = try await self.chain.produceBlock(time: ChainFixtures.genesisTime + 1_000 * (height + 1))
        return try #require(block)
    }

    /// `payload` signed by test account `from` with its next nonce.
    func transaction(_ payload: Payload, from: Int) -> Transaction {
        ChainFixtures.signed(payload, from: from, nonce: self.nonces.next(for: from))
    }

    /// Serves an API of the chain per entry of `blobStores` (with that blob store, or none) and `liars`
    /// ``LyingBlobServer``s after them, each on 127.0.0.1 and an ephemeral port, and runs `body` with a client of
    /// each, in that order; then shuts them all down.
    func serving<Result>(
        blobStores: [BlobStore?],
        liars: Int = 0,
        _ body: ([NodeClient]) async throws -> Result
    ) async throws -> Result {
        let (ports, portSink) = AsyncStream.makeStream(of: (Int, Int).self)
        var services: [any Service] = blobStores.enumerated().map { index, store in
            makeAPIApplication(
                chain: self.chain, configuration: APIConfiguration(port: 0), metrics: nil, blobs: store,
                logger: Self.logger, onServerRunning: { portSink.yield((index, $0)) }
            )
        }
        for liar in 0..<liars {
            services.append(LyingBlobServer.application(index: blobStores.count + liar) { portSink.yield($0) })
        }
        let count = services.count
        let group = ServiceGroup(services: services, logger: Self.logger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { portSink.finish() }
                try await group.run()
            }
            var byIndex: [Int: Int] = [:]
            for await (index, port) in ports {
                byIndex[index] = port
                if byIndex.count == count { break }
            }
            guard byIndex.count == count else {
                try await tasks.waitForAll()
                throw ServersDidNotStart()
            }
            let clients = try (0..<count).map { try NodeClient(baseURL: "http://127.0.0.1:\(byIndex[$0]!)") }
            do {
                let result = try await body(clients)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    private struct ServersDidNotStart: Error {}
}

/// A peer that serves the same wrong bytes for every blob asked for, and stores nothing.
enum LyingBlobServer {
    static let text = "not the blob you asked for"

    static func application(index: Int, onPort: @escaping @Sendable ((Int, Int)) -> Void) -> some Service {
        let router = Router()
        router.get("/v1/blobs/:hash") { _, _ in Self.text }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in onPort((index, channel.localAddress?.port ?? 0)) },
            logger: LiveChain.logger
        )
    }
}

/// The next nonce of each test account, shared by the copies of a ``LiveChain``.
private final class NonceBook: Sendable {
    private let nonces = Mutex<[Int: UInt64]>([:])

    func next(for account: Int) -> UInt64 {
        self.nonces.withLock { nonces in
            defer { nonces[account, default: 0] += 1 }
            return nonces[account, default: 0]
        }
    }
}
