// `deai testnet`: networks of several validators, each a separate `deai start`.

import ArgumentParser
import DeAICore
import Foundation
import Ledger
import Node
import P2P

/// `deai testnet init|…`.
struct TestnetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "testnet",
        abstract: "Networks of several validators on one genesis, each node its own process.",
        subcommands: [TestnetInitCommand.self, TestnetPerturbCommand.self]
    )
}

/// `deai testnet init --validators N --dir DIR [--chain-id ID] [--host H] [--base-port P] [--force]`.
struct TestnetInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write N node homes with one genesis, each dialling the others; start each with `deai start --home DIR/nodeK`."
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "How many validators") var validators: Int = 4
    @Option(help: "The directory of the homes (node0, node1, …)") var dir: String
    @Option(help: "The chain's ID") var chainID: String = "deai-testnet"
    @Option(help: "The host every node listens on") var host: String = "127.0.0.1"
    @Option(help: "Node K listens for peers on BASE+2K and serves its API on BASE+2K+1 (default: free ports)")
    var basePort: Int?
    @Flag(help: "Overwrite existing homes (their chain data is deleted)") var force = false

    /// What `--json` prints.
    private struct Summary: Encodable {
        struct Node: Encodable {
            var home: String
            var moniker: String
            var operatorAddress: String
            var peerAddress: String
            var api: String

            enum CodingKeys: String, CodingKey {
                case home, moniker, api
                case operatorAddress = "operator_address"
                case peerAddress = "peer_address"
            }
        }

        var chainID: String
        var nodes: [Node]

        enum CodingKeys: String, CodingKey {
            case nodes
            case chainID = "chain_id"
        }
    }

    func run() async throws {
        let options = TestnetInitializer.Options(
            validators: self.validators, chainID: self.chainID, host: self.host, basePort: self.basePort, force: self.force)
        let now = UInt64(Date().timeIntervalSince1970 * 1_000)
        let result = try TestnetInitializer(options: options).initialize(directory: NodeHome(path: self.dir).path, now: now)
        let summary = Summary(
            chainID: result.genesis.chainID,
            nodes: result.nodes.map { member in
                .init(
                    home: member.home.path, moniker: member.moniker, operatorAddress: member.operatorAddress.description,
                    peerAddress: member.peerAddress.description, api: "http://\(self.host):\(member.apiPort)")
            })
        try Output.emit(summary, json: self.global.json) { summary in
            ["Initialized \(summary.nodes.count) validators of chain \(summary.chainID):"]
                + Output.table(summary.nodes.map { ($0.moniker, "\($0.home)  API \($0.api)") })
                + ["", "Start each node in its own terminal (or in the background):"]
                + summary.nodes.map { "  deai start --home \($0.home)" }
        }
    }
}
