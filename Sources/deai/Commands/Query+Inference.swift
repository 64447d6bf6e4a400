// `deai query channel | server | earnings`: paid inference on the chain.

import APITypes
import ArgumentParser
import DeAICore
import Node

/// `deai query channel ID`.
struct QueryChannel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channel",
        abstract: "Show a payment channel: its client, server, model, deposit, claims and expiry."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var node: NodeOptions
    @Argument(help: "Channel identifier") var id: UInt64

    func run() async throws {
        let channel = try await self.node.call { try await $0.channel(self.id) }
        try Output.emit(channel, json: self.global.json) { channel in
            Output.table([
                ("channel", "\(channel.id)"), ("status", channel.status), ("client", channel.client.description),
                ("server", channel.server.description), ("model", "\(channel.taskID).\(channel.version)"),
                ("price per row", "\(channel.pricePerRow)"), ("deposit", "\(channel.deposit)"),
                ("claimed", "\(channel.claimed)"), ("unclaimed", "\(channel.unclaimed)"),
                ("expires at height", "\(channel.expiresAt)"),
            ] + (channel.closedAt.map { [("closed at height", "\($0)")] } ?? []))
        }
    }
}

/// `deai query server ADDRESS`.
struct QueryServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Show an inference server's bond, and whether it was punished for a forged answer."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var node: NodeOptions
    @Argument(help: "Server address (deai1…)") var address: String

    func run() async throws {
        guard let address = Address(self.address) else { throw ValidationError("'\(self.address)' is not a deai1… address") }
        let server = try await self.node.call { try await $0.server(address) }
        try Output.emit(server, json: self.global.json) { server in
            Output.table([
                ("server", server.address.description), ("bonded", "\(server.bonded)"),
                ("unbonding", "\(server.unbonding)"), ("punished", server.punished ? "yes: a forged answer was proven" : "no"),
                ("accepts channels", server.acceptsChannels ? "yes" : "no"),
            ])
        }
    }
}

/// `deai query earnings ADDRESS`.
struct QueryEarnings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "earnings",
        abstract: "Show what inference paid a contributor, per model version its updates went into."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var node: NodeOptions
    @Argument(help: "Contributor address (deai1…)") var address: String

    func run() async throws {
        guard let address = Address(self.address) else { throw ValidationError("'\(self.address)' is not a deai1… address") }
        let earnings = try await self.node.call { try await $0.inferenceEarnings(of: address) }
        try Output.emit(earnings, json: self.global.json) { earnings in
            earnings.earnings.map { "task \($0.taskID), version \($0.version): \($0.amount)" }
                + ["total from inference: \(earnings.total)"]
        }
    }
}
