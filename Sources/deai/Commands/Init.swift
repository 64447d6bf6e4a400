// `deai init`: create a node home.

import ArgumentParser
import DeAICore
import Foundation
import Ledger
import Node

/// `deai init [--chain-id ID] [--voting-period N] [--force]`.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a node home: config, genesis, node and validator keys, and a funded key named 'default'."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var passphrase: PassphraseOptions
    @Option(help: "The new chain's ID") var chainID: String = "deai-local"
    @Option(help: "Governance voting period, in blocks (default: the chain default, 10)") var votingPeriod: UInt64?
    @Flag(help: "Overwrite an existing home (its chain data is deleted)") var force = false

    /// What `--json` prints.
    private struct Summary: Encodable {
        var home: String
        var chainID: String
        var defaultAddress: String
        var validatorPublicKey: String
        var nodePublicKey: String
        var genesisFile: String

        enum CodingKeys: String, CodingKey {
            case home
            case chainID = "chain_id"
            case defaultAddress = "default_address"
            case validatorPublicKey = "validator_public_key"
            case nodePublicKey = "node_public_key"
            case genesisFile = "genesis_file"
        }
    }

    func run() async throws {
        let options = NodeInitializer.Options(
            chainID: self.chainID,
            votingPeriod: self.votingPeriod,
            force: self.force,
            passphrase: try self.passphrase.passphrase()
        )
        let now = UInt64(Date().timeIntervalSince1970 * 1_000)
        let result = try NodeInitializer(options: options).initialize(self.global.nodeHome, now: now)
        let summary = Summary(
            home: result.home.path,
            chainID: result.genesis.chainID,
            defaultAddress: result.defaultKey.address.description,
            validatorPublicKey: result.validatorKey.description,
            nodePublicKey: result.nodeKey.description,
            genesisFile: result.home.genesisFile
        )
        try Output.emit(summary, json: self.global.json) { summary in
            let home = self.global.home == "~/.deai" ? "" : " --home \(summary.home)"
            let funded = result.genesis.accounts.first?.balance ?? 0
            return ["Initialized \(summary.home) for chain \(summary.chainID)."]
                + Output.table([
                    ("default key", "\(summary.defaultAddress)  (funded with \(funded); validator operator)"),
                    ("validator key", summary.validatorPublicKey),
                    ("genesis", summary.genesisFile),
                ])
                + [
                    "", "Next steps:",
                    "  deai start\(home)",
                    "  deai keys new alice\(home)",
                    "  deai tx transfer --from default --to <address> --amount 100 --wait\(home)",
                ]
        }
    }
}
