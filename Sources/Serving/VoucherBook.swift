// What a server holds of each channel's vouchers, and whether a new one pays for a request.

public import APITypes
public import DeAICore
public import Ledger
import Synchronization

/// A server's record of the payment channels opened to it: the vouchers accepted, what was charged, and the best
/// voucher to claim.
///
/// Vouchers carry cumulative amounts, and requests on one channel may arrive in any order over concurrent
/// connections, so a voucher is accepted when its amount was never used on the channel, is above what the server
/// held when it learned of the channel, is within the deposit, and — with the best amount held — covers everything
/// charged so far plus this request. The server can then always claim at least what it answered.
///
/// Checking a signature costs about 46 µs, more than the answer itself; so it is amortized: the first voucher of a
/// channel is verified before it is accepted, and after that a voucher whose amount lies within `creditRows` rows'
/// worth above the best *verified* amount is accepted at once and verified later (before a claim, or when the
/// credit runs out), a voucher beyond that before it is accepted. A client that forges signatures therefore pays
/// for at least one row with a valid voucher and gains at most one credit window per channel, after which its
/// channel is refused for good; a server that wants no window at all sets `creditRows` to 0.
public final class VoucherBook: Sendable {
    /// What the chain says of a channel, as the book needs it.
    public struct Terms: Sendable, Hashable {
        /// The channel.
        public var channel: PaymentChannel
        /// The chain's height when the terms were read.
        public var height: Height

        /// Terms with every field given.
        public init(channel: PaymentChannel, height: Height) {
            self.channel = channel
            self.height = height
        }

        /// The terms of every channel in a node's list (`GET /v1/accounts/{address}/channels`).
        public static func of(_ list: ChannelsView) -> [Terms] {
            list.channels.map { Terms(channel: $0.channel, height: list.height) }
        }
    }

    /// What one request asks of the book.
    public struct Charge: Sendable {
        /// The voucher sent.
        public var voucher: ChannelVoucher
        /// The model asked for.
        public var taskID: UInt64
        /// Its version.
        public var version: UInt32
        /// The rows answered.
        public var rows: Int

        /// A charge with every field given.
        public init(voucher: ChannelVoucher, taskID: UInt64, version: UInt32, rows: Int) {
            self.voucher = voucher
            self.taskID = taskID
            self.version = version
            self.rows = rows
        }
    }

    /// What the book decided.
    public enum Decision: Sendable, Equatable {
        /// Paid: `charged` tokens were added to the channel's account.
        case accepted(charged: Amount)
        /// The book does not know the channel yet: read its terms from the chain and ask again.
        case needsTerms
        /// Check the voucher's signature, then ask again with `verified` set.
        case needsVerification
        /// Refused.
        case refused(PaymentRefusal)
    }

    private struct Account {
        var terms: Terms
        /// Amounts at or below this are stale: what the server held when it learned of the channel.
        var floor: Amount
        /// What the server charged on the channel so far (from ``floor``).
        var charged: Amount
        /// The best voucher whose signature was checked.
        var verified: ChannelVoucher?
        /// The best voucher accepted without a check yet.
        var pending: ChannelVoucher?
        /// Amounts used, to refuse replays.
        var used: Set<Amount> = []
        /// Set once a forged signature was seen.
        var refused = false

        var best: Amount { max(self.floor, self.verified?.amount ?? 0, self.pending?.amount ?? 0) }
        var verifiedAmount: Amount { max(self.floor, self.verified?.amount ?? 0) }
    }

    private let server: Address
    private let chainID: String
    private let minimumPrice: Amount
    private let creditRows: Amount
    private let expiryMargin: Height
    private let accounts = Mutex<[UInt64: Account]>([:])

    /// A book for `server` on `chainID`, refusing channels priced below `minimumPrice` per row.
    ///
    /// - Parameters:
    ///   - creditRows: how many rows' worth of unverified amount a channel may run ahead of its verified vouchers.
    ///   - expiryMargin: blocks before a channel's expiry at which it stops being accepted, so the claim lands in time.
    public init(server: Address, chainID: String, minimumPrice: Amount, creditRows: Amount = 64, expiryMargin: Height = 10) {
        self.server = server
        self.chainID = chainID
        self.minimumPrice = minimumPrice
        self.creditRows = creditRows
        self.expiryMargin = expiryMargin
    }

    /// Learns (or refreshes) a channel's terms; `held` is the best voucher the server already held for it (saved
    /// before a restart), whose amount and below are stale from now on.
    public func learn(_ terms: Terms, held: ChannelVoucher? = nil) {
        self.accounts.withLock { accounts in
            if var account = accounts[terms.channel.id] {
                account.terms = terms
                accounts[terms.channel.id] = account
            } else {
                let floor = max(terms.channel.claimed, held?.amount ?? 0)
                accounts[terms.channel.id] = Account(terms: terms, floor: floor, charged: floor, verified: held)
            }
        }
    }

    /// Refreshes the terms of the channels the book knows from `terms` (what the chain says of the server's
    /// channels now); channels it does not know are left out.
    public func refresh(_ terms: [Terms]) {
        self.accounts.withLock { accounts in
            for fresh in terms { accounts[fresh.channel.id]?.terms = fresh }
        }
    }

    /// Decides whether `charge` is paid; `verified` says its signature was checked (``Decision/needsVerification``).
    public func admit(_ charge: Charge, verified: Bool = false) -> Decision {
        let voucher = charge.voucher
        return self.accounts.withLock { accounts -> Decision in
            // Taken out of the dictionary while it changes: a copy left in it would make `used` (up to 8,192
            // amounts) copy itself on every request.
            guard var account = accounts.removeValue(forKey: voucher.channelID) else { return .needsTerms }
            defer { accounts[voucher.channelID] = account }
            if let refusal = self.refusal(of: charge, account: account) { return .refused(refusal) }
            let cost = account.terms.channel.pricePerRow * Amount(charge.rows)
            let needed = account.charged + cost
            guard max(account.best, voucher.amount) >= needed else {
                return .refused(.insufficient(channel: voucher.channelID, amount: voucher.amount, needed: needed))
            }
            let credit = account.terms.channel.pricePerRow * self.creditRows
            if !verified, account.verified == nil || voucher.amount > account.verifiedAmount + credit {
                return .needsVerification
            }
            account.used.insert(voucher.amount)
            account.charged = needed
            if verified {
                if voucher.amount > account.verified?.amount ?? 0 { account.verified = voucher }
            } else if voucher.amount > account.pending?.amount ?? 0 {
                account.pending = voucher
            }
            if account.used.count > 8_192 { account.used = account.used.filter { $0 + credit * 4 > voucher.amount } }
            return .accepted(charged: cost)
        }
    }

    /// Why `charge` cannot be paid by its channel at all, or `nil`.
    private func refusal(of charge: Charge, account: Account) -> PaymentRefusal? {
        let voucher = charge.voucher
        let channel = account.terms.channel
        let id = channel.id
        if account.refused { return .badSignature(channel: id) }
        if channel.server != self.server { return .unusableChannel(id, reason: "it pays server \(channel.server), not this one (\(self.server))") }
        if (channel.taskID, channel.version) != (charge.taskID, charge.version) {
            return .unusableChannel(id, reason: "it pays for model \(channel.taskID).\(channel.version), not \(charge.taskID).\(charge.version)")
        }
        if channel.closedAt != nil { return .unusableChannel(id, reason: "it is closed") }
        if channel.pricePerRow < self.minimumPrice {
            return .unusableChannel(id, reason: "it was opened at \(channel.pricePerRow) per row; this server asks \(self.minimumPrice)")
        }
        if account.terms.height + self.expiryMargin > channel.expiresAt {
            return .unusableChannel(id, reason: "it expires at height \(channel.expiresAt), too soon to claim; fund it with a later expiry")
        }
        if voucher.amount > channel.deposit {
            return .aboveDeposit(channel: id, amount: voucher.amount, deposit: channel.deposit)
        }
        if voucher.amount <= account.floor || account.used.contains(voucher.amount) {
            return .replayed(channel: id, amount: voucher.amount, covered: account.best)
        }
        return nil
    }

    /// Checks `voucher`'s signature against its channel's client key; `nil` when the channel is unknown.
    public func isSigned(_ voucher: ChannelVoucher) -> Bool? {
        guard let key = self.accounts.withLock({ $0[voucher.channelID]?.terms.channel.clientKey }) else { return nil }
        return voucher.isSigned(by: key, chainID: self.chainID)
    }

    /// Marks the channel of a voucher whose signature failed as refused for good.
    public func refuse(channel id: UInt64) {
        self.accounts.withLock { $0[id]?.refused = true }
    }

    /// The best voucher to claim on each channel above what the chain already paid, after checking the pending
    /// ones' signatures (a forged one refuses its channel), in channel order.
    public func claimable() -> [ChannelVoucher] {
        let pending = self.accounts.withLock { accounts in
            accounts.values.compactMap { account -> (ChannelVoucher, VerifyingKey)? in
                guard let voucher = account.pending, voucher.amount > account.verifiedAmount else { return nil }
                return (voucher, account.terms.channel.clientKey)
            }
        }
        let checked = pending.map { ($0.0, $0.0.isSigned(by: $0.1, chainID: self.chainID)) }
        return self.accounts.withLock { accounts in
            for (voucher, valid) in checked {
                guard var account = accounts[voucher.channelID] else { continue }
                if valid {
                    if voucher.amount > account.verified?.amount ?? 0 { account.verified = voucher }
                    if account.pending == voucher { account.pending = nil }
                } else {
                    account.refused = true
                    account.pending = nil
                }
                accounts[voucher.channelID] = account
            }
            return accounts.values.compactMap { account in
                guard let voucher = account.verified, voucher.amount > account.terms.channel.claimed else { return nil }
                return voucher
            }.sorted { $0.channelID < $1.channelID }
        }
    }

    /// The best amount the server holds on channel `id` (what a client resumes above), or `nil` when unknown.
    public func covered(channel id: UInt64) -> Amount? {
        self.accounts.withLock { $0[id]?.best }
    }
}
