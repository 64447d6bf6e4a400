// The claimer: vouchers on disk within a second, one read of the chain per claim, a torn file refused.

import DeAICore
import Foundation
import Ledger
import Logging
import Serving
import Synchronization
import Testing

@Suite("Channel claimer")
struct ChannelClaimerTests {
    /// The claims sent, and how often the server's channels were read.
    final class Chain: Sendable {
        private let state = Mutex<(claims: [ChannelVoucher], reads: Int)>(([], 0))
        let channels: [PaymentChannel]

        init(channels: [PaymentChannel]) { self.channels = channels }

        var claims: [ChannelVoucher] { self.state.withLock(\.claims) }
        var reads: Int { self.state.withLock(\.reads) }

        func read() -> [VoucherBook.Terms] {
            self.state.withLock { $0.reads += 1 }
            return self.channels.map { VoucherBook.Terms(channel: $0, height: 10) }
        }

        func claim(_ voucher: ChannelVoucher) {
            self.state.withLock { $0.claims.append(voucher) }
        }
    }

    static func claimer(_ book: VoucherBook, _ chain: Chain, held: HeldVouchers, claimEvery: Duration = .seconds(3_600))
        -> ChannelClaimer
    {
        ChannelClaimer(
            book: book, channels: { chain.read() }, claim: { chain.claim($0) }, held: held,
            claimInterval: claimEvery, saveInterval: .milliseconds(20), logger: Logger(label: "claims"))
    }

    static func heldFile() -> HeldVouchers {
        HeldVouchers(path: FileManager.default.temporaryDirectory.appendingPathComponent("deai-held-\(UUID()).json").path)
    }

    @Test("a server killed between claims has its vouchers on disk; restarted, it refuses them as replays and claims them")
    func killedBetweenClaims() async throws {
        let chain = Chain(channels: [ServingFixtures.channel()])
        let held = Self.heldFile()
        let book = VoucherBookTests.book()
        let running = Task { try await Self.claimer(book, chain, held: held).run() }
        #expect(VoucherBookTests.pay(book, try ServingFixtures.voucher(2)) == .accepted(charged: 2))
        #expect(VoucherBookTests.pay(book, try ServingFixtures.voucher(4)) == .accepted(charged: 2))
        var saved: [UInt64] = []
        // Generous: the whole suite runs at once on two cores, and the claimer's task may wait minutes for a thread.
        let deadline = ContinuousClock.now.advanced(by: .seconds(300))
        while saved != [4], ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            saved = (try? held.load().map(\.amount)) ?? []
        }
        running.cancel()  // as a kill: no claim on the way out
        _ = await running.result
        #expect(saved == [4])
        #expect(chain.claims.isEmpty)

        let restarted = ServingFixtures.book()
        for voucher in try held.load() {
            restarted.learn(VoucherBook.Terms(channel: ServingFixtures.channel(), height: 10), held: voucher)
        }
        guard case .refused(.replayed) = VoucherBookTests.pay(restarted, try ServingFixtures.voucher(4)) else {
            Issue.record("a voucher held before the restart was accepted again")
            return
        }
        #expect(VoucherBookTests.pay(restarted, try ServingFixtures.voucher(6)) == .accepted(charged: 2))
        await Self.claimer(restarted, chain, held: held).claimOnce()
        #expect(chain.claims.map(\.amount) == [6])
    }

    @Test("a claim reads the server's channels once, however many it holds vouchers on")
    func oneReadPerClaim() async throws {
        let channels = (1...3).map { ServingFixtures.channel(id: $0) }
        let chain = Chain(channels: channels)
        let book = ServingFixtures.book()
        for channel in channels {
            book.learn(VoucherBook.Terms(channel: channel, height: 10))
            #expect(VoucherBookTests.pay(book, try ServingFixtures.voucher(2 * channel.id, channel: channel.id)) != .needsTerms)
        }
        await Self.claimer(book, chain, held: Self.heldFile()).claimOnce()
        #expect(chain.reads == 1)
        #expect(chain.claims.map(\.channelID) == [1, 2, 3])
    }

    @Test("a torn vouchers file is refused with its path, not read as no vouchers")
    func tornFile() throws {
        let held = Self.heldFile()
        try held.save([try ServingFixtures.voucher(4), try ServingFixtures.voucher(6, channel: 2)])
        let whole = try Data(contentsOf: URL(fileURLWithPath: held.path))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: held.path))
        #expect(throws: ServingError.self) { try held.load() }
        do {
            _ = try held.load()
        } catch {
            #expect("\(error)".contains(held.path))
        }
    }
}
