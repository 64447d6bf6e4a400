// Four validators' nodes in one process, each with its own home, deciding blocks by Tendermint rounds.

import API
import APITypes
import Consensus
import DeAICore
import DeAITesting
import Foundation
import Ledger
import Logging
import Node
import Storage
import Testing

@Suite("Validators deciding together")
struct ConsensusNodesTests {
    private static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    private static let configuration = NodeConfiguration(api: APIConfiguration(host: "127.0.0.1", port: 0))

    /// Four nodes of one chain on an ``InProcessNetwork``, each opened from its home under one directory.
    private final class Network: @unchecked Sendable {
        let directory: String
        let genesis = ChainFixtures.genesis(validators: 4)
        let network = InProcessNetwork()
        var nodes: [RunningNode?] = [nil, nil, nil, nil]

        init(directory: String) {
            self.directory = directory
        }

        /// Starts validator `index` from its home (provisioned the first time): a restart reads its database
        /// and signing record as `deai start` does.
        func start(_ index: Int) async throws {
            let home = NodeHome(path: "\(self.directory)/v\(index)")
            if !FileManager.default.fileExists(atPath: home.genesisFile) {
                try home.provision(
                    genesis: self.genesis, validatorKey: ChainFixtures.consensusKey(ofValidator: index),
                    configuration: ConsensusNodesTests.configuration)
            }
            let node = try await Node.open(home: home, configuration: ConsensusNodesTests.configuration, logger: ConsensusNodesTests.logger)
            let settings = ConsensusService.Settings(
                network: self.network.join(as: PeerID("v\(index)")), timeouts: .local, gossipInterval: .milliseconds(100))
            self.nodes[index] = try await node.start(
                api: { chain, onListening in
                    makeAPIApplication(
                        chain: chain, configuration: ConsensusNodesTests.configuration.api, metrics: nil,
                        logger: ConsensusNodesTests.logger, onServerRunning: onListening)
                },
                consensus: settings)
        }

        /// Stops validator `index` gracefully and takes it off the network.
        func stop(_ index: Int) async throws {
            try await self.nodes[index]?.stop()
            self.nodes[index] = nil
            self.network.leave(PeerID("v\(index)"))
        }

        var running: [RunningNode] { self.nodes.compactMap { $0 } }

        /// Waits until every running node has committed `height`, for at most `timeout`.
        func reach(_ height: Height, within timeout: Duration = .seconds(60)) async -> Bool {
            let deadline = ContinuousClock.now + timeout
            for node in self.running {
                while await node.chain.view.height < height {
                    guard ContinuousClock.now < deadline else { return false }
                    _ = await node.chain.waitForHeight(above: await node.chain.view.height, timeout: .milliseconds(200))
                }
            }
            return true
        }

        /// The highest height a running node committed.
        func highest() async -> Height {
            var highest: Height = 0
            for node in self.running { highest = max(highest, await node.chain.view.height) }
            return highest
        }

        func stopAll() async throws {
            for index in self.nodes.indices { try await self.stop(index) }
        }
    }

    @Test("four validators commit the same blocks, go on with one stopped, halt with two stopped and say who is missing, and resume when they return")
    func fourValidators() async throws {
        try await withTemporaryDirectory { directory in
            let network = Network(directory: directory)
            for index in 0..<4 { try await network.start(index) }

            #expect(await network.reach(3), "four validators did not commit 3 blocks")
            // Sent to one validator, a transaction is gossiped to the others: whoever proposes next includes it.
            let client = try NodeClient(baseURL: network.running[0].apiURL)
            let transfer = ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 25, nonce: 0)
            let sentAt = await network.highest()
            let submitted = try await client.submit(transfer, wait: true, waitTimeout: .seconds(60))
            #expect(submitted.receipt?.code == 0)
            let includedAt = try #require(submitted.receipt?.height)
            #expect(includedAt <= sentAt + 3, "the transaction waited for its own validator's turn to propose")
            #expect(await network.reach(includedAt))
            var hashes: Set<SHA256Digest> = []
            for node in network.running { hashes.insert(try #require(try await node.chain.database.header(at: includedAt)).hash) }
            #expect(hashes.count == 1, "the validators committed different blocks at height \(includedAt)")
            #expect(await network.running[3].chain.view.state.account(ChainFixtures.address(2)).balance == ChainFixtures.balance + 25)

            try await network.stop(3)
            let withThree = await network.highest()
            #expect(await network.reach(withThree + 3), "three of four validators (75% of the power) stopped committing")

            try await network.stop(2)
            let withTwo = await network.highest()
            try await Task.sleep(for: .seconds(2))
            #expect(await network.highest() <= withTwo + 1, "two of four validators committed blocks alone")
            let status = await network.running[0].chain.status
            let shortfall = try #require(status.waitingForPower, "a halted chain does not say it waits for voting power")
            let absent = Set(shortfall.absent.map(\.address))
            #expect(absent == Set([2, 3].map { ChainFixtures.operatorKey(ofValidator: $0).verifyingKey.address }))
            #expect(shortfall.signingPower * 2 == shortfall.totalPower)

            try await network.start(2)
            try await network.start(3)
            let resumedFrom = await network.highest()
            #expect(await network.reach(resumedFrom + 3), "the chain did not resume once four validators were back")
            #expect(await network.running[0].chain.status.waitingForPower == nil)
            try await network.stopAll()
        }
    }
}
