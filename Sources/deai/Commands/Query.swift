// `deai query`: read the chain through a node's API.

import APITypes
import ArgumentParser
import DeAICore
import Foundation
import Ledger
import Node

/// `deai query account | block | tx | proposal | proposals | validators | params | status | tasks | task | round |
/// receipt | model | channel | server | earnings`.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract:
            "Read accounts, blocks, transactions, proposals, validators, parameters, tasks and receipts from a node.",
        subcommands: [
            QueryAccount.self, QueryBlock.self, QueryTransaction.self, QueryProposal.self, QueryProposals.self,
            QueryValidators.self, QueryParameters.self, QueryStatus.self, QueryTasks.self, QueryTask.self,
            QueryRound.self, QueryReceipt.self, QueryModel.self, QueryChannel.self, QueryServer.self,
            QueryEarnings.self,
        ]
    )

    /// The time of a block, as ISO 8601 in UTC.
    static func formatTime(_ milliseconds: UInt64) -> String {
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1_000)
        return date.formatted(.iso8601)
    }
}

/// `deai query block [HEIGHT]`.
struct QueryBlock: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "block",
        abstract: "Show a block (default: the latest)."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var node: NodeOptions
    @Argument(help: "Block height") var height: UInt64?

    func run() async throws {
        let block = try await self.node.call { try await $0.block(self.height) }
        try Output.emit(block, json: self.global.json) { block in
            Output.table([
                ("height", "\(block.header.height)"), ("hash", block.hash.description),
                ("time", QueryCommand.formatTime(block.header.time)), ("proposer", block.header.proposer.description),
                ("state root", block.header.stateRoot.description),
                ("previous hash", block.header.previousBlockHash.description),
                ("transactions", "\(block.transactionCount)"),
            ]) + block.transactions.map { "  \($0)" }
        }
    }
}

/// `deai query tx HASH`.
struct QueryTransaction: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tx",
        abstract: "Show a committed transaction and its receipt."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var node: NodeOptions
    @Argument(help: "Transaction hash (64 hex digits)", transform: ArgumentParsing.digest) var hash: SHA256Digest

    func run() async throws {
        let transaction = try await self.node.call { try await $0.transaction(self.hash) }
        try Output.emit(transaction, json: self.global.json) { transaction in
            let receipt = transaction.receipt
            return Output.table([
                ("hash", transaction.hash.description), ("block", "\(transaction.height) (index \(transaction.index))"),
                ("sender", transaction.sender.description), ("nonce", "\(transaction.nonce)"),
                ("fee", "\(transaction.fee)"), ("type", transaction.payload.type),
                ("memo", transaction.memo),
                ("outcome", receipt.success ? "succeeded" : "failed (code \(receipt.code)): \(receipt.message)"),
            ])
        }
    }
}

/// `deai query proposal ID`.
struct QueryProposal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "proposal", abstract: "Show a governance proposal.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var node: NodeOptions
    @Argument(help: "Proposal ID") var id: UInt64

    func run() async throws {
        let proposal = try await self.node.call { try await $0.proposal(self.id) }
        try Output.emit(proposal, json: self.global.json, human: Self.describe)
    }

    /// The lines that show one proposal.
    static func describe(_ proposal: ProposalView) -> [String] {
        var rows: [(String, String)] = [
            ("id", "\(proposal.id)"), ("title", proposal.content.title), ("kind", proposal.content.kind),
            ("status", proposal.status.rawValue), ("proposer", proposal.proposer.description),
            ("deposit", "\(proposal.totalDeposit)"), ("submitted at", "\(proposal.submitHeight)"),
        ]
        if proposal.votingEndHeight > 0 { rows.append(("voting ends", "\(proposal.votingEndHeight)")) }
        for change in proposal.content.changes ?? [] { rows.append(("change", "\(change.name) = \(change.value)")) }
        if let tally = proposal.tally {
            rows.append(("tally", "yes \(tally.yes), no \(tally.no), abstain \(tally.abstain), veto \(tally.veto)"))
        }
        if let reason = proposal.failureReason { rows.append(("reason", reason)) }
        return Output.table(rows)
    }
}

/// `deai query proposals`.
struct QueryProposals: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "proposals", abstract: "List governance proposals.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var node: NodeOptions

    func run() async throws {
        let proposals = try await self.node.call { try await $0.proposals() }
        try Output.emit(proposals, json: self.global.json) { view in
            view.proposals.isEmpty
                ? ["no proposals"]
                : view.proposals.map { "\($0.id)  \($0.status.rawValue)  \($0.content.kind)  \($0.content.title)" }
        }
    }
}

/// `deai query validators`.
struct QueryValidators: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "validators", abstract: "List the validators.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var node: NodeOptions

    func run() async throws {
        let view = try await self.node.call { try await $0.validators() }
        try Output.emit(view, json: self.global.json) { view in
            ["height \(view.height), total power \(view.totalPower)"]
                + view.validators.map {
                    "\($0.operatorAddress)  power \($0.power)  \($0.moniker)\($0.active ? "" : "  (inactive)")"
                }
        }
    }
}

/// `deai query params`.
struct QueryParameters: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "params", abstract: "Show the chain parameters.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var node: NodeOptions

    func run() async throws {
        let view = try await self.node.call { try await $0.parameters() }
        try Output.emit(view, json: self.global.json) { view in
            Output.table(ChainParameters.names.map { ($0, "\(view.parameters.value(named: $0) ?? 0)") })
        }
    }
}

/// `deai query status`.
struct QueryStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the node's status.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var node: NodeOptions

    func run() async throws {
        let status = try await self.node.call { try await $0.status() }
        try Output.emit(status, json: self.global.json) { status in
            Output.table([
                ("chain", status.chainID), ("height", "\(status.height)"),
                ("latest block", status.latestBlockHash?.description ?? "none"),
                ("state root", status.stateRoot.description), ("genesis hash", status.genesisHash.description),
                ("mempool", "\(status.mempoolTransactions) transactions, \(status.mempoolBytes) bytes"),
                ("validator", status.validatorAddress?.description ?? "none"),
            ])
        }
    }
}
