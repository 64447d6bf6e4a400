// A node started in the background with the wiring of `deai start`: it serves, commits, stops and reopens.

import API
import APITypes
import Consensus
import DeAICore
import DeAITesting
import Ledger
import Logging
import Node
import Testing

@Suite("Running node")
struct RunningNodeTests {
    private static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func configuration(port: Int = 0) -> NodeConfiguration {
        NodeConfiguration(
            api: APIConfiguration(host: "127.0.0.1", port: port), blockInterval: .milliseconds(200),
            eagerBlockInterval: .milliseconds(2))
    }

    /// Provisions a home in `directory` for the fixtures' chain and starts its node.
    static func start(in directory: String, port: Int = 0) async throws -> RunningNode {
        let configuration = Self.configuration(port: port)
        let home = NodeHome(path: directory)
        try home.provision(genesis: ChainFixtures.genesis(), validatorKey: ChainFixtures.consensusKey, configuration: configuration)
        let node = try await Node.open(home: home, configuration: configuration, logger: Self.logger)
        return try await node.start { chain, onListening in
            makeAPIApplication(
                chain: chain, configuration: configuration.api, metrics: nil, logger: Self.logger, onServerRunning: onListening)
        }
    }

    @Test("a provisioned home starts, commits a transfer sent over HTTP, stops, and reopens where it stopped")
    func servesCommitsAndReopens() async throws {
        try await withTemporaryDirectory { directory in
            let running = try await Self.start(in: directory)
            let client = try NodeClient(baseURL: running.apiURL)
            let transfer = ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 25, nonce: 0)
            let result = try await client.submit(transfer, wait: true, waitTimeout: .seconds(30))
            #expect(result.receipt?.code == 0)
            try await running.stop()
            let stopped = await running.chain.status

            let reopened = try await Node.open(home: NodeHome(path: directory), configuration: Self.configuration(), logger: Self.logger)
            let status = await reopened.chain.status
            #expect(status.height == stopped.height && status.stateRoot == stopped.stateRoot)
            #expect(await reopened.chain.view.state.account(ChainFixtures.address(2)).balance == ChainFixtures.balance + 25)
        }
    }

    @Test("a node whose API cannot bind its port says so instead of running without it")
    func portTaken() async throws {
        try await withTemporaryDirectory { first in
            try await withTemporaryDirectory { second in
                let running = try await Self.start(in: first)
                do {
                    _ = try await Self.start(in: second, port: running.apiPort)
                    Issue.record("a second node started on a port already in use")
                } catch let error as NodeError {
                    #expect(error.code == .apiUnavailable)
                    #expect(error.message.contains("before its API listened"))
                }
                try await running.stop()
            }
        }
    }
}
