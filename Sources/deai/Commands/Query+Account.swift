// `deai query account ADDRESS [--prove]`.

import APITypes
import ArgumentParser
import DeAICore
import Ledger
import Node

/// `deai query account ADDRESS [--prove]`: an account, and with `--prove` its Merkle proof checked here against
/// the state root of a block header that a ``LightClient`` verified: signed by more than two thirds of the power of
/// the validators trusted from the genesis on, never taken on the node's word.
struct QueryAccount: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Show an account's balance and nonce; --prove checks its proof against a block the validators signed."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var node: NodeOptions
    @Argument(help: "Account address (deai1…)", transform: ArgumentParsing.address) var address: Address
    @Flag(help: "Fetch a Merkle proof and verify it against the state root of a header the validators signed") var prove = false
    @Option(help: "The genesis file whose validators --prove trusts (default: the home's genesis.json)") var genesis: String?

    /// What `--prove --json` prints.
    private struct VerifiedAccount: Encodable {
        var account: AccountView
        var verified: Bool
        var height: UInt64
        var blockHash: SHA256Digest
        var stateRoot: SHA256Digest
        var signedPower: Amount
        var totalPower: Amount
        var validatorSetChanges: Int

        enum CodingKeys: String, CodingKey {
            case account, verified, height
            case blockHash = "block_hash"
            case stateRoot = "state_root"
            case signedPower = "signed_power"
            case totalPower = "total_power"
            case validatorSetChanges = "validator_set_changes"
        }
    }

    func run() async throws {
        let account = try await self.node.call { try await $0.account(self.address, prove: self.prove) }
        guard self.prove else {
            try Output.emit(account, json: self.global.json, human: Self.describe)
            return
        }
        let verifiedHeader = try await self.verify(account)
        let header = verifiedHeader.header
        let verified = VerifiedAccount(
            account: account, verified: true, height: header.height, blockHash: header.hash,
            stateRoot: header.stateRoot, signedPower: verifiedHeader.signedPower,
            totalPower: verifiedHeader.signers.totalPower, validatorSetChanges: verifiedHeader.changesFollowed)
        try Output.emit(verified, json: self.global.json) { verified in
            Self.describe(verified.account) + [
                "proof verified against the state root of block \(verified.height), signed by validators holding "
                    + "\(verified.signedPower) of \(verified.totalPower) voting power, trusted from the genesis through "
                    + "\(verified.validatorSetChanges) validator-set change\(verified.validatorSetChanges == 1 ? "" : "s")"
            ]
        }
    }

    /// Checks the header of the block the proof in `account` names with a light client, then the proof against
    /// its state root.
    ///
    /// - Returns: the verified header.
    /// - Throws: ``CLIError`` saying what does not hold.
    private func verify(_ account: AccountView) async throws -> LightClient.VerifiedHeader {
        guard let proof = account.proof else { throw CLIError("the node sent no proof") }
        guard let claimed = proof.header?.header else {
            throw CLIError("there is no block yet to prove against; try again after the first block")
        }
        let genesis = try self.genesis.map(NodeHome.readGenesis(at:)) ?? self.global.nodeHome.loadGenesis()
        var light = try LightClient(genesis: genesis)
        let verified: LightClient.VerifiedHeader
        do {
            verified = try await light.verifyHeader(at: claimed.height, from: try self.node.client())
        } catch {
            throw CLIError("proof NOT verified: \(error)")
        }
        let header = verified.header
        guard claimed.hash == header.hash, proof.blockHash == header.hash else {
            throw CLIError("proof NOT verified: the proof's header is not block \(header.height) as the validators signed it")
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
        return verified
    }

    private static func describe(_ account: AccountView) -> [String] {
        Output.table([
            ("address", account.address.description), ("balance", "\(account.balance)"),
            ("nonce", "\(account.nonce)"), ("bonded stake", "\(account.bondedStake)"), ("height", "\(account.height)"),
        ])
    }
}
