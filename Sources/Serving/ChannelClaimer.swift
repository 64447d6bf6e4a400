// Claiming what the channels owe, before they expire and before the server stops.

import DeAICore
public import Ledger
public import Logging
public import ServiceLifecycle

/// A service that, every `interval`, reads the chain's terms of the channels the server took vouchers on, saves
/// the best voucher of each (``HeldVouchers``), and claims on chain every one above what the chain already paid.
/// It claims once more on graceful shutdown, so a server that is stopped keeps what it answered.
///
/// One transaction per channel and interval, not per request; a channel's claim stops being possible at its expiry,
/// so the book refuses vouchers on a channel close to it (``VoucherBook``).
public struct ChannelClaimer: Service {
    /// Claims one voucher on chain (a `claim_channel` transaction, waited for).
    public typealias Claim = @Sendable (ChannelVoucher) async throws -> Void

    private let book: VoucherBook
    private let terms: InferenceService.TermsSource
    private let claim: Claim
    private let held: HeldVouchers
    private let interval: Duration
    private let logger: Logger

    /// A claimer of `book`'s vouchers through `claim`, refreshing terms from `terms` and saving to `held`.
    public init(
        book: VoucherBook, terms: @escaping InferenceService.TermsSource, claim: @escaping Claim, held: HeldVouchers,
        interval: Duration, logger: Logger
    ) {
        self.book = book
        self.terms = terms
        self.claim = claim
        self.held = held
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            try? await gracefulShutdown(for: self.interval)
            await self.claimOnce()
        }
    }

    /// One pass: refresh the terms, save the best vouchers, claim those above the chain's claimed amounts.
    public func claimOnce() async {
        for known in self.book.knownTerms {
            do {
                if let fresh = try await self.terms(known.channel.id) { self.book.learn(fresh) }
            } catch {
                self.logger.warning("cannot read channel \(known.channel.id): \(error)")
            }
        }
        let vouchers = self.book.claimable()
        guard !vouchers.isEmpty else { return }
        do { try self.held.save(vouchers) } catch { self.logger.error("\(error)") }
        for voucher in vouchers {
            do {
                try await self.claim(voucher)
                self.logger.info("claimed \(voucher.amount) in all on channel \(voucher.channelID)")
            } catch {
                self.logger.warning("claim of \(voucher.amount) on channel \(voucher.channelID) failed: \(error)")
            }
        }
    }
}

/// Sleeps for `duration`, returning early on graceful shutdown.
private func gracefulShutdown(for duration: Duration) async throws {
    try await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
}
