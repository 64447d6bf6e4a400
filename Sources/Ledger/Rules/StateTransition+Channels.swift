// Payment channels: open, fund, claim, close.

import DeAICore

/// The terms a client opens a channel with.
struct ChannelTerms {
    var server: Address
    var taskID: UInt64
    var version: UInt32
    var deposit: Amount
    var pricePerRow: Amount
    var expiresAt: Height
}

extension StateTransition {
    /// Opens a channel from `client` to a bonded server for an existing model version, escrowing the deposit.
    static func openChannel(
        _ terms: ChannelTerms, client: VerifyingKey, in state: inout LedgerState, context: BlockContext
    ) throws(LedgerError) {
        guard terms.deposit > 0 else { throw .zeroAmount }
        let id = state.globals.nextChannelID
        guard state.modelVersions[terms.taskID]?[terms.version] != nil else {
            throw .unknownModelVersion(taskID: terms.taskID, version: terms.version)
        }
        try self.requireServing(terms.server, in: state)
        guard terms.expiresAt > context.height else {
            throw .channelRefused(id: id, reason: "its expiry \(terms.expiresAt) is not after the current height \(context.height)")
        }
        try self.debit(terms.deposit, from: client.address, in: &state)
        state.globals.nextChannelID = id + 1
        state.setChannel(
            PaymentChannel(
                id: id, client: client.address, clientKey: client, server: terms.server, taskID: terms.taskID,
                version: terms.version, deposit: terms.deposit, claimed: 0, pricePerRow: terms.pricePerRow,
                expiresAt: terms.expiresAt, closedAt: nil))
    }

    /// Adds to an open, unexpired channel's deposit and extends its expiry; only its client may.
    static func fundChannel(
        _ id: UInt64, amount: Amount, expiresAt: Height, client: Address, in state: inout LedgerState,
        context: BlockContext
    ) throws(LedgerError) {
        var channel = try self.openChannel(id, in: state, context: context)
        guard channel.client == client else { throw .channelRefused(id: id, reason: "only its client \(channel.client) may fund it") }
        guard expiresAt >= channel.expiresAt else {
            throw .channelRefused(id: id, reason: "its expiry cannot move back from \(channel.expiresAt) to \(expiresAt)")
        }
        guard amount > 0 || expiresAt > channel.expiresAt else { throw .zeroAmount }
        try self.debit(amount, from: client, in: &state)
        channel.deposit = try self.sum(channel.deposit, amount)
        channel.expiresAt = expiresAt
        state.setChannel(channel)
    }

    /// Pays the server what `voucher` adds to its earlier claims: the server's share to the server, the rest
    /// along the model's lineage (``LineageRevenue``), or to the server when no contributor of the lineage was paid.
    static func claimChannel(
        _ voucher: ChannelVoucher, server: Address, in state: inout LedgerState, context: BlockContext
    ) throws(LedgerError) {
        let id = voucher.channelID
        var channel = try self.openChannel(id, in: state, context: context)
        guard channel.server == server else { throw .channelRefused(id: id, reason: "only its server \(channel.server) may claim") }
        guard voucher.amount > channel.claimed else {
            throw .invalidVoucher(channelID: id, reason: "it is for \(voucher.amount) in all; \(channel.claimed) was already claimed")
        }
        guard voucher.amount <= channel.deposit else {
            throw .invalidVoucher(channelID: id, reason: "it is for \(voucher.amount) in all; the deposit is \(channel.deposit)")
        }
        guard voucher.isSigned(by: channel.clientKey, chainID: state.chainID) else {
            throw .invalidVoucher(channelID: id, reason: "it is not signed by the key that opened the channel")
        }
        let increase = voucher.amount - channel.claimed
        channel.claimed = voucher.amount
        state.setChannel(channel)
        let serverPart = self.share(of: increase, numerator: state.parameters.serverShareBasisPoints, denominator: 10_000)
        let lineage = LineageRevenue.split(increase - serverPart, taskID: channel.taskID, version: channel.version, in: state)
        for share in lineage.shares {
            try self.credit(share.amount, to: share.key.contributor, in: &state)
            state.setInferenceEarning(try self.sum(state.inferenceEarnings[share.key] ?? 0, share.amount), for: share.key)
        }
        try self.credit(serverPart + lineage.undistributed, to: server, in: &state)
    }

    /// Returns what was never claimed to the client, once the channel expired or its server was punished.
    static func closeChannel(_ id: UInt64, client: Address, in state: inout LedgerState, context: BlockContext) throws(LedgerError) {
        guard var channel = state.channels[id] else { throw .unknownChannel(id: id) }
        guard channel.client == client else { throw .channelRefused(id: id, reason: "only its client \(channel.client) may close it") }
        guard channel.closedAt == nil else { throw .channelRefused(id: id, reason: "it is already closed") }
        let serverPunished = state.serverBonds[channel.server]?.punished ?? false
        guard context.height > channel.expiresAt || serverPunished else {
            throw .channelRefused(id: id, reason: "its server may claim until height \(channel.expiresAt)")
        }
        let refund = channel.unclaimed
        channel.closedAt = context.height
        state.setChannel(channel)
        try self.credit(refund, to: client, in: &state)
    }

    /// The channel `id`, if it is open and not expired.
    private static func openChannel(_ id: UInt64, in state: LedgerState, context: BlockContext) throws(LedgerError)
        -> PaymentChannel
    {
        guard let channel = state.channels[id] else { throw .unknownChannel(id: id) }
        guard channel.closedAt == nil else { throw .channelRefused(id: id, reason: "it is closed") }
        guard context.height <= channel.expiresAt else {
            throw .channelRefused(id: id, reason: "it expired at height \(channel.expiresAt)")
        }
        return channel
    }
}
