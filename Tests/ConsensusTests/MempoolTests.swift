// ConsensusTests: the mempool's bounds, duplicate refusal, reap order and restore.

import Consensus
import DeAICore
import DeAITesting
import Ledger
import Testing

struct MempoolTests {
    static func tx(_ sender: Int, nonce: UInt64, fee: Amount, memo: String = "") -> VerifiedTransaction {
        VerifiedTransaction(
            ChainFixtures.transfer(
                from: sender,
                to: ChainFixtures.address(9),
                amount: 1,
                nonce: nonce,
                fee: fee,
                memo: memo
            )
        )
    }

    @Test("the mempool is bounded by count")
    func boundedByCount() throws {
        var mempool = Mempool(configuration: MempoolConfiguration(maxTransactions: 3, maxBytes: 1 << 20))
        for nonce in 0..<3 as Range<UInt64> { try mempool.insert(Self.tx(1, nonce: nonce, fee: 1)) }
        let error = #expect(throws: ConsensusError.self) { try mempool.insert(Self.tx(2, nonce: 0, fee: 100)) }
        guard case .mempoolFull(3, _)? = error else {
            Issue.record("expected mempoolFull, got \(String(describing: error))")
            return
        }
        #expect(mempool.count == 3)
        // Room again after a reap.
        _ = mempool.reap(max: 1)
        try mempool.insert(Self.tx(2, nonce: 0, fee: 100))
    }

    @Test("the mempool is bounded by bytes")
    func boundedByBytes() throws {
        let size = Self.tx(1, nonce: 0, fee: 1).encoding.count
        var mempool = Mempool(configuration: MempoolConfiguration(maxTransactions: 100, maxBytes: 2 * size + size / 2))
        try mempool.insert(Self.tx(1, nonce: 0, fee: 1))
        try mempool.insert(Self.tx(1, nonce: 1, fee: 1))
        #expect(mempool.byteCount == 2 * size)
        let error = #expect(throws: ConsensusError.self) { try mempool.insert(Self.tx(1, nonce: 2, fee: 1)) }
        guard case .mempoolFull(2, let bytes)? = error, bytes == 2 * size else {
            Issue.record("expected mempoolFull, got \(String(describing: error))")
            return
        }
        #expect(mempool.count == 2)
    }

    @Test("a transaction already waiting is refused as a duplicate")
    func duplicate() throws {
        var mempool = Mempool()
        let tx = Self.tx(1, nonce: 0, fee: 1)
        try mempool.insert(tx)
        let error = #expect(throws: ConsensusError.self) { try mempool.insert(tx) }
        #expect(error == .duplicateTransaction(tx.hash))
        #expect(mempool.count == 1)
        #expect(mempool.contains(tx.hash))
    }

    @Test("reap hands out the highest fee first across senders, each sender in nonce order")
    func reapOrder() throws {
        var mempool = Mempool()
        let a0 = Self.tx(1, nonce: 0, fee: 5)
        let a1 = Self.tx(1, nonce: 1, fee: 1)
        let b0 = Self.tx(2, nonce: 0, fee: 3)
        let b1 = Self.tx(2, nonce: 1, fee: 10)
        let c0 = Self.tx(3, nonce: 0, fee: 4)
        let d0 = Self.tx(4, nonce: 0, fee: 4)
        for tx in [a0, a1, b0, b1, c0, d0] { try mempool.insert(tx) }
        #expect(mempool.pendingCount(of: ChainFixtures.address(1)) == 2)
        #expect(mempool.pendingFees(of: ChainFixtures.address(2)) == 13)
        // b1 pays most but waits for b0; c0 and d0 tie on fee and go by arrival.
        let reaped = mempool.reap(max: 10)
        #expect(reaped.map(\.hash) == [a0, c0, d0, b0, b1, a1].map(\.hash))
        #expect(mempool.count == 0)
        #expect(mempool.byteCount == 0)
        #expect(mempool.pendingCount(of: ChainFixtures.address(1)) == 0)
    }

    @Test("reap takes at most max and leaves the rest in order")
    func reapPartial() throws {
        var mempool = Mempool()
        let transactions =
            (0..<5 as Range<UInt64>).map { Self.tx(1, nonce: $0, fee: 1) } + [Self.tx(2, nonce: 0, fee: 2)]
        for tx in transactions { try mempool.insert(tx) }
        let first = mempool.reap(max: 3)
        #expect(first.map(\.hash) == [transactions[5], transactions[0], transactions[1]].map(\.hash))
        #expect(mempool.count == 3)
        #expect(mempool.byteCount == transactions[2...4].reduce(0) { $0 + $1.encoding.count })
        #expect(mempool.reap(max: 10).map(\.hash) == transactions[2...4].map(\.hash))
        #expect(mempool.reap(max: 10).isEmpty)
    }

    @Test("restore puts deferred transactions back in front of their senders' queues")
    func restore() throws {
        var mempool = Mempool()
        let first = (0..<3 as Range<UInt64>).map { Self.tx(1, nonce: $0, fee: 1) }
        for tx in first { try mempool.insert(tx) }
        let reaped = mempool.reap(max: 3)
        // A block took only the first; the other two were deferred. Meanwhile nonce 3 arrived.
        let later = Self.tx(1, nonce: 3, fee: 1)
        try mempool.insert(later)
        mempool.restore(Array(reaped.dropFirst()))
        #expect(mempool.count == 3)
        #expect(mempool.pendingCount(of: ChainFixtures.address(1)) == 3)
        #expect(mempool.byteCount == (first[1...] + [later]).reduce(0) { $0 + $1.encoding.count })
        #expect(mempool.reap(max: 10).map(\.hash) == [first[1], first[2], later].map(\.hash))
        // Restoring what is already waiting adds nothing.
        try mempool.insert(later)
        mempool.restore([later])
        #expect(mempool.count == 1)
    }

    @Test("peek hands out what reap would and leaves it waiting; a committed block's transactions then leave by nonce")
    func peekThenRemoveIncluded() throws {
        var mempool = Mempool()
        let ones = (0..<3 as Range<UInt64>).map { Self.tx(1, nonce: $0, fee: 1) }
        let twos = (0..<2 as Range<UInt64>).map { Self.tx(2, nonce: $0, fee: 5) }
        for tx in ones + twos { try mempool.insert(tx) }
        var copy = mempool
        let peeked = mempool.peek(max: 4)
        #expect(peeked.map(\.hash) == copy.reap(max: 4).map(\.hash))
        #expect(mempool.count == 5)
        // A block (perhaps another proposer's) took sender 1's nonces 0 and 1 and sender 2's nonce 0.
        let nonces = [ChainFixtures.address(1): UInt64(2), ChainFixtures.address(2): 1]
        mempool.removeIncluded(senders: nonces.keys) { nonces[$0] ?? 0 }
        #expect(mempool.reap(max: 10).map(\.hash) == [twos[1], ones[2]].map(\.hash))
        #expect(mempool.byteCount == 0)
    }

    @Test("discarding an invalid transaction also removes its sender's later ones, which can no longer be included")
    func discard() throws {
        var mempool = Mempool()
        let ones = (0..<3 as Range<UInt64>).map { Self.tx(1, nonce: $0, fee: 1) }
        let two = Self.tx(2, nonce: 0, fee: 1)
        for tx in ones + [two] { try mempool.insert(tx) }
        mempool.discard([ones[1]])
        #expect(mempool.count == 2)
        #expect(mempool.byteCount == ones[0].encoding.count + two.encoding.count)
        #expect(Set(mempool.reap(max: 10).map(\.hash)) == [ones[0].hash, two.hash])
    }
}
