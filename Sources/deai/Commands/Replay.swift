// `deai replay`: audit a node's database by re-executing its chain from genesis.

import ArgumentParser
import Consensus
import DeAICore
import Foundation
import Node
import Storage

/// `deai replay`: re-executes every stored block from the genesis, checking each block's signatures, commit and
/// roots, and that every token of the supply is held somewhere; prints the resulting height, state root and supply. Run it on a stopped node (or a copy of its home).
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-execute the stored chain from genesis and check every block and commit."
    )

    @OptionGroup var global: GlobalOptions

    struct Result: Codable {
        var height: UInt64
        var stateRoot: SHA256Digest
        var transactions: Int
        var verified: Bool
        var supply: UInt64
        var accountedSupply: UInt64

        private enum CodingKeys: String, CodingKey {
            case height, stateRoot = "state_root", transactions, verified, supply
            case accountedSupply = "accounted_supply"
        }
    }

    func run() async throws {
        let home = self.global.nodeHome
        let genesis = try home.loadGenesis()
        let database = try NodeDatabase(path: home.databaseFile)
        let progress = StderrProgress(quiet: self.global.json)
        let replay = try await ChainReplay.replay(database: database, genesis: genesis) { height in
            if height % 1_000 == 0 { progress.say("replayed block \(height)") }
        }
        guard replay.accountedSupply == replay.totalSupply else {
            throw CLIError(
                "the state after block \(replay.height) records a supply of \(replay.totalSupply) tokens, but balances, stakes, "
                    + "unbondings, deposits, escrows and the treasury hold \(replay.accountedSupply): tokens were made or lost")
        }
        let result = Result(
            height: replay.height, stateRoot: replay.stateRoot, transactions: replay.transactionCount, verified: true,
            supply: replay.totalSupply, accountedSupply: replay.accountedSupply)
        try Output.emit(result, json: self.global.json) {
            Output.table([
                ("replayed to height", "\($0.height)"), ("transactions", "\($0.transactions)"),
                ("state root", "\($0.stateRoot)"), ("every block and commit", "verified"),
                ("supply", "\($0.supply) tokens, every one held by an account, a stake, a deposit, an escrow or the treasury"),
            ])
        }
    }
}
