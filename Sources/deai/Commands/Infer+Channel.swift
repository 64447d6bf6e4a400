// Infer+Channel: the channel `deai infer` pays through, and the vouchers it signs.

import APITypes
import DeAICore
import Ledger
import Node
import Participants
import Serving

/// The channel a client pays a server through: reused when one of the client's is open to that server for that
/// model with enough deposit left and time to run, opened otherwise (after closing the client's expired channels,
/// which returns what their servers never claimed); and the cumulative amounts it signs,
/// recorded in the home (``Serving/SignedAmounts``) once the server took them.
struct ChannelPayer {
    /// The channel.
    let channelID: UInt64
    private let key: SigningKey
    private let chainID: String
    private let signed: SignedAmounts
    private var amount: Amount
    private var proposed: Amount?

    /// The channel to pay `rows` rows of `model` at `catalog`'s price: reused or opened.
    static func open(
        for catalog: ServedModelsView, model: ServedModelsView.Entry, rows: Int, key: SigningKey, options: InferCommand
    ) async throws -> ChannelPayer {
        let me = key.verifyingKey.address
        let signed = SignedAmounts(path: options.global.nodeHome.path + "/channels/signed-\(catalog.chainID).json")
        let need = catalog.pricePerRow * Amount(rows)
        let height = try await options.node.call { try await $0.status().height }
        let channels = try await options.node.call { try await $0.channels(of: me).channels }
        for channel in channels.reversed() where Self.fits(channel, client: me, catalog: catalog, model: model, height: height) {
            let spent = max(try signed.amount(channel: channel.id) ?? 0, channel.claimed)
            if channel.deposit >= spent + need {
                return ChannelPayer(channelID: channel.id, key: key, chainID: catalog.chainID, signed: signed, amount: spent)
            }
        }
        let deposit = max(options.deposit ?? catalog.pricePerRow * 1_000, need)
        let account = try HTTPTrainingNetwork(
            nodeURL: options.node.node, key: key, chainID: catalog.chainID,
            blobDirectory: options.global.nodeHome.path + "/channels/blobs")
        // What the client's expired channels still hold comes back before a new one is opened.
        for channel in channels where channel.client == me && channel.status == "expired" && channel.unclaimed > 0 {
            try await account.send(.closeChannel(channelID: channel.id))
            Output.printFlushed("Closed expired payment channel \(channel.id): \(channel.unclaimed) tokens back.")
        }
        try await account.send(
            .openChannel(
                server: catalog.server, taskID: model.taskID, version: model.version, deposit: deposit,
                pricePerRow: catalog.pricePerRow, expiresAt: height + options.blocks))
        let opened = try await options.node.call { try await $0.channels(of: me).channels }
            .last { Self.fits($0, client: me, catalog: catalog, model: model, height: height) }
        guard let opened else { throw CLIError("the channel was opened but the node does not list it") }
        Output.printFlushed("Opened payment channel \(opened.id): \(deposit) tokens to \(catalog.server) until height \(opened.expiresAt).")
        return ChannelPayer(channelID: opened.id, key: key, chainID: catalog.chainID, signed: signed, amount: 0)
    }

    /// Whether `channel` is the client's, open to the catalog's server for `model` at its price, with time left.
    private static func fits(
        _ channel: ChannelView, client: Address, catalog: ServedModelsView, model: ServedModelsView.Entry, height: Height
    ) -> Bool {
        channel.client == client && channel.server == catalog.server && channel.taskID == model.taskID
            && channel.version == model.version && channel.status == "open" && channel.pricePerRow >= catalog.pricePerRow
            && channel.expiresAt > height + 20
    }

    private init(channelID: UInt64, key: SigningKey, chainID: String, signed: SignedAmounts, amount: Amount) {
        self.channelID = channelID
        self.key = key
        self.chainID = chainID
        self.signed = signed
        self.amount = amount
    }

    /// The voucher for `rows` more rows at `price`: the cumulative amount so far plus their cost.
    mutating func nextVoucher(rows: Int, price: Amount) throws -> ChannelVoucher {
        let next = self.amount + price * Amount(rows)
        self.proposed = next
        return try ChannelVoucher(channelID: self.channelID, amount: next, chainID: self.chainID, key: self.key)
    }

    /// Records the last voucher as taken by the server.
    mutating func confirm() throws {
        guard let proposed = self.proposed else { return }
        self.amount = proposed
        self.proposed = nil
        try self.signed.record(proposed, channel: self.channelID)
    }

    /// Resumes above `covered`, what the server says it holds (the client lost its own record).
    mutating func resume(above covered: Amount) {
        self.amount = max(self.amount, covered)
    }
}
