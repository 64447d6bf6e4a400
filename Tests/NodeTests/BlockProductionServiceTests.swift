// Block production: blocks at the interval with the given clock, and a graceful stop.

import Consensus
import Foundation
import Logging
import Node
import ServiceLifecycle
import Testing

@Suite("BlockProductionService")
struct BlockProductionServiceTests {
    private static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test("produces blocks stamped by its clock and stops on graceful shutdown with every block committed")
    func producesAndStops() async throws {
        try await withTemporaryDirectory { directory in
            let home = NodeHome(path: directory)
            _ = try NodeInitializer(options: .init()).initialize(home, now: 1_700_000_000_000)
            let node = try await Node.open(home: home, configuration: NodeConfiguration(), logger: Self.logger)
            let service = BlockProductionService(
                chain: node.chain,
                interval: .milliseconds(20),
                logger: Self.logger,
                wallClock: { 1_800_000_000_000 }
            )
            let group = ServiceGroup(services: [service], logger: Self.logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                while await node.chain.status.height < 3 {
                    try await Task.sleep(for: .milliseconds(20))
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            let status = await node.chain.status
            #expect(status.height >= 3)
            #expect(status.latestBlockTime == 1_800_000_000_000)

            let reopened = try await Node.open(home: home, configuration: NodeConfiguration(), logger: Self.logger)
            let reopenedStatus = await reopened.chain.status
            #expect(reopenedStatus.height == status.height)
            #expect(reopenedStatus.stateRoot == status.stateRoot)
        }
    }
}
