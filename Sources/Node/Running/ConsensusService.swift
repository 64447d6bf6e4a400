// The service that decides blocks with other validators.

public import Consensus
import Foundation
public import Logging
public import ServiceLifecycle

/// Decides blocks with the other validators through a ``Consensus/ConsensusNetwork``: it feeds the chain every
/// message that arrives, every timer the chain set when it is due, and a gossip tick every ``Settings/gossipInterval``,
/// one event at a time, with the wall clock's time. Transactions that peers relay go to the mempool beside that
/// loop, so that verifying their signatures never holds up a vote (at most ``relayBacklog`` batches wait; more are
/// dropped, and stay in the mempools of the nodes that relayed them).
///
/// It runs instead of ``BlockProductionService`` when the node has peers. On graceful shutdown it stops taking
/// events; a block being committed is committed first.
public struct ConsensusService: Service {
    /// How a node decides blocks with others.
    public struct Settings: Sendable {
        /// The transport to the other validators' nodes.
        public var network: any ConsensusNetwork
        /// The round timeouts.
        public var timeouts: ConsensusTimeouts
        /// How often to send again what this node heard at its height.
        public var gossipInterval: Duration

        /// Settings with every value given; gossip every second by default.
        public init(network: any ConsensusNetwork, timeouts: ConsensusTimeouts, gossipInterval: Duration = .seconds(1)) {
            self.network = network
            self.timeouts = timeouts
            self.gossipInterval = gossipInterval
        }
    }

    /// The most relayed transaction batches waiting for the mempool.
    public static let relayBacklog = 2_048

    /// The chain that decides.
    public let chain: Chain
    /// The settings.
    public let settings: Settings
    private let logger: Logger
    private let wallClock: @Sendable () -> UInt64

    /// A service for `chain`.
    /// - Parameter wallClock: Milliseconds since 1970, the time of the blocks this node proposes.
    public init(
        chain: Chain, settings: Settings, logger: Logger,
        wallClock: @escaping @Sendable () -> UInt64 = BlockProductionService.systemMilliseconds
    ) {
        self.chain = chain
        self.settings = settings
        self.logger = logger
        self.wallClock = wallClock
    }

    /// Takes part in consensus until graceful shutdown.
    /// - Throws: the chain's error when it halts (a decided block it cannot write, a signing record it cannot save).
    public func run() async throws {
        let (events, sink) = AsyncStream.makeStream(of: ConsensusEvent.self)
        let (relayed, relay) = AsyncStream.makeStream(of: [[UInt8]].self, bufferingPolicy: .bufferingOldest(Self.relayBacklog))
        let network = self.settings.network
        let gossipInterval = self.settings.gossipInterval
        let chain = self.chain
        defer {
            sink.finish()
            relay.finish()
        }
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                for await envelope in network.incoming {
                    if case .transactions(let encodings) = envelope.message {
                        relay.yield(encodings)
                    } else {
                        sink.yield(.message(envelope.message, from: envelope.sender))
                    }
                }
            }
            group.addTask {
                for await encodings in relayed { await chain.receiveRelayed(encodings: encodings) }
            }
            group.addTask {
                for await _ in BlockTicks(interval: gossipInterval) { sink.yield(.gossip) }
            }
            var timers = try await self.chain.startConsensus(network: network, timeouts: self.settings.timeouts)
            for await event in events.cancelOnGracefulShutdown() {
                for timer in timers {
                    group.addTask {
                        try? await Task.sleep(for: timer.delay)
                        sink.yield(timer.event)
                    }
                }
                do {
                    timers = try await self.chain.handle(event, time: self.wallClock())
                } catch {
                    self.logger.error("consensus stopped", metadata: ["error": "\(error)"])
                    throw error
                }
            }
            await self.chain.stopConsensus()
            group.cancelAll()
        }
    }
}
