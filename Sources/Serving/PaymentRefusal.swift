// Why a server refuses to answer a request for the payment it carries.

import DeAICore
public import Ledger

/// Why a paid request is refused with 402 Payment Required: each case says what the client must change.
public enum PaymentRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// The request carries no `DeAI-Voucher` header, or one that does not parse.
    case missingVoucher(price: Amount)
    /// The chain has no such channel.
    case unknownChannel(UInt64)
    /// The channel pays another server, for another model, at a lower price, or is closed or about to expire.
    case unusableChannel(UInt64, reason: String)
    /// The voucher's amount is above the channel's deposit.
    case aboveDeposit(channel: UInt64, amount: Amount, deposit: Amount)
    /// The voucher's amount was used before, or is below what this server already holds for the channel.
    case replayed(channel: UInt64, amount: Amount, covered: Amount)
    /// The voucher does not cover what the server charged on the channel so far plus this request.
    case insufficient(channel: UInt64, amount: Amount, needed: Amount)
    /// The voucher's signature is not the channel client's: the channel is refused from now on.
    case badSignature(channel: UInt64)

    public var description: String {
        switch self {
        case .missingVoucher(let price):
            "this server charges \(price) per row: send a DeAI-Voucher header CHANNEL:AMOUNT:SIGNATURE for a channel opened to it"
        case .unknownChannel(let id): "there is no payment channel \(id) on the chain"
        case .unusableChannel(let id, let reason): "payment channel \(id) cannot pay for this request: \(reason)"
        case .aboveDeposit(let channel, let amount, let deposit):
            "the voucher for \(amount) on channel \(channel) is above its deposit of \(deposit)"
        case .replayed(let channel, let amount, let covered):
            "the voucher for \(amount) on channel \(channel) was used before or is stale: this server holds vouchers up to \(covered); sign a higher cumulative amount"
        case .insufficient(let channel, let amount, let needed):
            "the voucher for \(amount) on channel \(channel) does not cover the \(needed) charged so far with this request"
        case .badSignature(let channel):
            "the voucher is not signed by the key that opened channel \(channel); the channel is refused from now on"
        }
    }
}
