// `deai query account ADDRESS [--prove]`.

import APITypes
import ArgumentParser
import DeAICore
import Ledger
import Node

/// `deai query account ADDRESS [--prove]`: an account, and with `--prove` its Merkle proof checked here against
/// the state root of a block header.
struct QueryAccount: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Show an account's balance and nonce; --prove checks its proof against a block's state root."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var node: NodeOptions
    @Argument(help: "Account address (deai1…)", transform: ArgumentParsing.address) var address: Address
    @Flag(help: "Fetch a Merkle proof and verify it against the block header's state root") var prove = false

    /// What `--prove --json` prints.
    private struct VerifiedAccount: Encodable {
        var account: AccountView
        var verified: Bool
        var height: UInt64
        var blockHash: SHA256Digest
        var stateRoot: SHA256Digest

        enum CodingKeys: String, CodingKey {
            case account, verified, height
            case blockHash = "block_hash"
            case stateRoot = "state_root"
        }
    }

    func run() async throws {
        let account = try await self.node.call { try await $0.account(self.address, prove: self.prove) }
        guard self.prove else {
            try Output.emit(account, json: self.global.json, human: Self.describe)
            return
        }
        let header = try await self.verify(account)
        let verified = VerifiedAccount(
            account: account,
            verified: true,
            height: header.height,
            blockHash: header.hash,
            stateRoot: header.stateRoot
        )
        try Output.emit(verified, json: self.global.json) { verified in
            Self.describe(verified.account)
                + ["proof verified against block \(verified.height) state root \(verified.stateRoot)"]
        }
    }

    /// Checks the proof in `account` against the header of the block it names, fetched separately.
    ///
    /// - Returns: the header whose state root the proof leads to.
    /// - Throws: ``CLIError`` saying what does not hold.
    private func verify(_ account: AccountView) async throws -> BlockHeader {
        guard let proof = account.proof else { throw CLIError("the node sent no proof") }
        guard let header = proof.header?.header else {
            throw CLIError("there is no block yet to prove against; try again after the first block")
        }
        let block = try await self.node.call { try await $0.block(header.height) }
        guard block.hash == header.hash, proof.blockHash == header.hash else {
            throw CLIError("proof NOT verified: the proof's header is not block \(header.height) as the node serves it")
        }
        guard proof.stateRoot == header.stateRoot else {
            throw CLIError("proof NOT verified: the proof's state root is not block \(header.height)'s")
        }
        let stateProof = proof.proof.stateProof
        guard stateProof.key == StateKey.account(self.address).bytes else {
            throw CLIError("proof NOT verified: the proof is about another state key than account \(self.address)")
        }
        let value: [UInt8]?
        do {
            value = try stateProof.verify(against: header.stateRoot)
        } catch {
            throw CLIError("proof NOT verified against block \(header.height) state root \(header.stateRoot): \(error)")
        }
        let proven = try value.map { try Account(canonicalEncoding: $0) } ?? Account()
        guard proven.balance == account.balance, proven.nonce == account.nonce else {
            throw CLIError(
                "proof NOT verified: it proves balance \(proven.balance) nonce \(proven.nonce), the node said "
                    + "balance \(account.balance) nonce \(account.nonce)"
            )
        }
        return header
    }

    private static func describe(_ account: AccountView) -> [String] {
        Output.table([
            ("address", account.address.description), ("balance", "\(account.balance)"),
            ("nonce", "\(account.nonce)"), ("bonded stake", "\(account.bondedStake)"), ("height", "\(account.height)"),
        ])
    }
}
