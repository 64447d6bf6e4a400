// What a server's voucher book accepts, refuses and claims.

import DeAICore
import DeAITesting
import Ledger
import Serving
import Testing

@Suite("Voucher book")
struct VoucherBookTests {
    static func charge(_ voucher: ChannelVoucher, rows: Int = 1) -> VoucherBook.Charge {
        VoucherBook.Charge(voucher: voucher, taskID: 1, version: 1, rows: rows)
    }

    /// What the service does with a charge: checks the signature when the book asks, refusing a forged one's channel.
    static func pay(_ book: VoucherBook, _ voucher: ChannelVoucher, rows: Int = 1) -> VoucherBook.Decision {
        let decision = book.admit(Self.charge(voucher, rows: rows))
        guard decision == .needsVerification else { return decision }
        guard book.isSigned(voucher) == true else {
            book.refuse(channel: voucher.channelID)
            return .refused(.badSignature(channel: voucher.channelID))
        }
        return book.admit(Self.charge(voucher, rows: rows), verified: true)
    }

    /// A book that knows channel 1.
    static func book() -> VoucherBook {
        let book = ServingFixtures.book()
        book.learn(VoucherBook.Terms(channel: ServingFixtures.channel(), height: 10))
        return book
    }

    @Test("cumulative vouchers arriving out of order over concurrent connections are all paid; a replay is not")
    func outOfOrderAndReplay() throws {
        let book = Self.book()
        #expect(Self.pay(book, try ServingFixtures.voucher(4)) == .accepted(charged: 2))
        #expect(Self.pay(book, try ServingFixtures.voucher(2)) == .accepted(charged: 2))
        #expect(Self.pay(book, try ServingFixtures.voucher(6)) == .accepted(charged: 2))
        guard case .refused(.replayed) = Self.pay(book, try ServingFixtures.voucher(4)) else {
            Issue.record("a replayed voucher was accepted")
            return
        }
        // A voucher that would leave the server owed more than it can claim is refused.
        guard case .refused(.insufficient) = Self.pay(book, try ServingFixtures.voucher(5), rows: 2) else {
            Issue.record("an insufficient voucher was accepted")
            return
        }
    }

    @Test("a channel's first voucher is checked; then one within the credit window is accepted unchecked, one beyond it checked first")
    func creditWindow() throws {
        let book = Self.book()
        // The channel's first voucher is checked; then the credit is 4 rows × 2 tokens above the verified amount.
        #expect(book.admit(Self.charge(try ServingFixtures.voucher(2))) == .needsVerification)
        #expect(book.admit(Self.charge(try ServingFixtures.voucher(2)), verified: true) == .accepted(charged: 2))
        #expect(book.admit(Self.charge(try ServingFixtures.voucher(10))) == .accepted(charged: 2))
        #expect(book.admit(Self.charge(try ServingFixtures.voucher(12))) == .needsVerification)
        #expect(book.admit(Self.charge(try ServingFixtures.voucher(12)), verified: true) == .accepted(charged: 2))
    }

    @Test("before a claim, pending vouchers are checked: a forged one refuses its channel, a good one is claimed")
    func claimableChecksPending() throws {
        let honest = Self.book()
        _ = Self.pay(honest, try ServingFixtures.voucher(2))
        _ = Self.pay(honest, try ServingFixtures.voucher(6))
        #expect(honest.claimable().map(\.amount) == [6])

        // A forged voucher within the credit after a good one is taken unchecked, then caught before the claim.
        let forged = Self.book()
        let stranger = ChainFixtures.key(3)
        _ = Self.pay(forged, try ServingFixtures.voucher(2))
        #expect(Self.pay(forged, try ServingFixtures.voucher(6, key: stranger)) == .accepted(charged: 2))
        #expect(forged.claimable().map(\.amount) == [2])
        guard case .refused(.badSignature) = Self.pay(forged, try ServingFixtures.voucher(8)) else {
            Issue.record("a channel that forged a voucher was still accepted")
            return
        }
    }

    @Test("channels for another server, model or a lower price, above their deposit or near their expiry are refused")
    func unusableChannels() throws {
        let cases: [(PaymentChannel, ChannelVoucher, Int, String)] = [
            (ServingFixtures.channel(server: ChainFixtures.address(4)), try ServingFixtures.voucher(2), 1, "not this one"),
            (ServingFixtures.channel(deposit: 3), try ServingFixtures.voucher(4), 1, "above its deposit"),
            ({ var channel = ServingFixtures.channel(); channel.pricePerRow = 1; return channel }(), try ServingFixtures.voucher(2), 1, "this server asks 2"),
            ({ var channel = ServingFixtures.channel(); channel.expiresAt = 15; return channel }(), try ServingFixtures.voucher(2), 1, "too soon to claim"),
            ({ var channel = ServingFixtures.channel(); channel.version = 2; return channel }(), try ServingFixtures.voucher(2), 1, "not 1.1"),
        ]
        for (channel, voucher, rows, reason) in cases {
            let book = ServingFixtures.book()
            book.learn(VoucherBook.Terms(channel: channel, height: 10))
            guard case .refused(let refusal) = Self.pay(book, voucher, rows: rows) else {
                Issue.record("expected a refusal containing '\(reason)'")
                continue
            }
            #expect(refusal.description.contains(reason), "\(refusal)")
        }
    }

    @Test("after a restart, vouchers at or below the held one are stale and payment resumes above it")
    func restartResumesAboveHeld() throws {
        let book = ServingFixtures.book()
        book.learn(VoucherBook.Terms(channel: ServingFixtures.channel(), height: 10), held: try ServingFixtures.voucher(20))
        guard case .refused(.replayed) = book.admit(Self.charge(try ServingFixtures.voucher(20))) else {
            Issue.record("the held voucher was accepted again")
            return
        }
        #expect(Self.pay(book, try ServingFixtures.voucher(22)) == .accepted(charged: 2))
        #expect(book.covered(channel: 1) == 22)
    }
}
