// Claiming what the channels owe, before they expire and before the server stops.

import DeAICore
public import Ledger
public import Logging
public import ServiceLifecycle
import Synchronization

/// A service that keeps the best voucher of each channel on disk (``HeldVouchers``) within a second of taking it,
/// and every `claimInterval` refreshes the terms of the server's channels from the chain and claims every voucher
/// above what the chain already paid. It claims once more on graceful shutdown, so a server that is stopped keeps
/// what it answered, and one that is killed loses at most the last second's vouchers.
///
/// One read of the server's channels and one transaction per channel per interval, not per request; a channel's
/// claim stops being possible at its expiry, so the book refuses vouchers on a channel close to it
/// (``VoucherBook``).
public struct ChannelClaimer: Service {
    /// Claims one voucher on chain (a `claim_channel` transaction, waited for).
    public typealias Claim = @Sendable (ChannelVoucher) async throws -> Void
    /// What the chain says now of every channel that pays the server (`GET /v1/accounts/{server}/channels`).
    public typealias ServerChannels = @Sendable () async throws -> [VoucherBook.Terms]

    private let book: VoucherBook
    private let channels: ServerChannels
    private let claim: Claim
    private let held: HeldVouchers
    private let claimInterval: Duration
    private let saveInterval: Duration
    private let logger: Logger
    private let saved = SavedVouchers()

    /// A claimer of `book`'s vouchers through `claim`, refreshing terms from `channels` and saving to `held`.
    public init(
        book: VoucherBook, channels: @escaping ServerChannels, claim: @escaping Claim, held: HeldVouchers,
        claimInterval: Duration, saveInterval: Duration = .seconds(1), logger: Logger
    ) {
        self.book = book
        self.channels = channels
        self.claim = claim
        self.held = held
        self.claimInterval = claimInterval
        self.saveInterval = saveInterval
        self.logger = logger
    }

    public func run() async throws {
        let clock = ContinuousClock()
        var nextClaim = clock.now.advanced(by: self.claimInterval)
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.saveInterval) }
            if Task.isShuttingDownGracefully || clock.now >= nextClaim {
                await self.claimOnce()
                nextClaim = clock.now.advanced(by: self.claimInterval)
            } else {
                _ = self.saveHeld()
            }
        }
    }

    /// One claim: refresh the terms, save the best vouchers, claim those above the chain's claimed amounts.
    public func claimOnce() async {
        do {
            self.book.refresh(try await self.channels())
        } catch {
            self.logger.warning("cannot read this server's channels: \(error)")
        }
        for voucher in self.saveHeld() {
            do {
                try await self.claim(voucher)
                self.logger.info("claimed \(voucher.amount) in all on channel \(voucher.channelID)")
            } catch {
                self.logger.warning("claim of \(voucher.amount) on channel \(voucher.channelID) failed: \(error)")
            }
        }
    }

    /// Saves the book's claimable vouchers when they changed since the last save; returns them.
    @discardableResult
    public func saveHeld() -> [ChannelVoucher] {
        let vouchers = self.book.claimable()
        guard self.saved.replace(with: vouchers) else { return vouchers }
        do {
            try self.held.save(vouchers)
        } catch {
            self.saved.forget()
            self.logger.error("\(error)")
        }
        return vouchers
    }
}

/// What the claimer last saved, so that an unchanged book is not written again every second.
private final class SavedVouchers: Sendable {
    private let last = Mutex<[ChannelVoucher]?>(nil)

    /// Records `vouchers` as saved; `false` when they are what was saved last.
    func replace(with vouchers: [ChannelVoucher]) -> Bool {
        self.last.withLock { last in
            guard last != vouchers else { return false }
            last = vouchers
            return true
        }
    }

    /// Forgets the last save (it failed), so the next pass tries again.
    func forget() {
        self.last.withLock { $0 = nil }
    }
}
