// The service that produces a block every interval.

public import Consensus
import Foundation
import Ledger
public import Logging
public import ServiceLifecycle

/// Produces a block every ``interval`` by calling `Chain.produceBlock(time:)` with the wall clock; with an
/// ``eagerInterval``, also as soon as transactions wait (checked every `eagerInterval`), so that a busy chain
/// confirms in milliseconds while an idle one still moves its heights, and its deadlines, every `interval`.
///
/// On a node without peers this is the only place that reads the wall clock for blocks (with peers,
/// ``ConsensusService`` does, for its proposals); the ledger and consensus take time from block headers only. On graceful shutdown the tick sequence ends (`cancelOnGracefulShutdown`), but a block already
/// being produced is not cancelled: it is committed before ``run()`` returns.
public struct BlockProductionService: Service {
    /// The chain to extend.
    public let chain: Chain
    /// The longest time between two blocks.
    public let interval: Duration
    /// When set, how often to look for waiting transactions and produce a block for them at once.
    public let eagerInterval: Duration?
    private let logger: Logger
    private let wallClock: @Sendable () -> UInt64

    /// A producer for `chain`.
    ///
    /// - Parameter wallClock: Milliseconds since 1970; tests may pass a fixed clock.
    public init(
        chain: Chain,
        interval: Duration,
        eagerInterval: Duration? = nil,
        logger: Logger,
        wallClock: @escaping @Sendable () -> UInt64 = BlockProductionService.systemMilliseconds
    ) {
        self.chain = chain
        self.interval = interval
        self.eagerInterval = eagerInterval.map { min($0, interval) }
        self.logger = logger
        self.wallClock = wallClock
    }

    /// Produces blocks until graceful shutdown.
    ///
    /// - Throws: The chain's error when a block cannot be committed: the node stops rather than go on with a
    ///   database it cannot write.
    public func run() async throws {
        self.logger.debug("block production started", metadata: ["block.interval": "\(self.interval)"])
        var lastBlock = ContinuousClock.now
        for await tick in BlockTicks(interval: self.eagerInterval ?? self.interval).cancelOnGracefulShutdown() {
            if self.eagerInterval != nil, tick - lastBlock < self.interval, await self.chain.pendingTransactionCount == 0 {
                continue
            }
            lastBlock = tick
            do {
                if let block = try await self.chain.produceBlock(time: self.wallClock()) {
                    self.logger.trace(
                        "block committed",
                        metadata: [
                            "block.height": "\(block.header.height)",
                            "block.transactions": "\(block.transactions.count)",
                        ]
                    )
                }
            } catch {
                self.logger.error("block production failed", metadata: ["error": "\(error)"])
                throw error
            }
        }
        self.logger.debug("block production stopped")
    }

    /// The system's wall clock in milliseconds since 1970.
    @Sendable
    public static func systemMilliseconds() -> UInt64 {
        UInt64(max(0, Date().timeIntervalSince1970 * 1_000))
    }
}
