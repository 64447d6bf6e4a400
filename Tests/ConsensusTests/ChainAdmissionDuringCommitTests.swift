// A sender that streams its next nonces while a validator deciding by rounds commits blocks is never refused:
// admission during a block's database write sees the new nonces and a mempool without the block's transactions
// together (the proposer peeks at the mempool, so the block's transactions stay there until the commit).

import Consensus
import DeAICore
import DeAITesting
import Ledger
import Testing

struct ChainAdmissionDuringCommitTests {
    /// Runs the chain's consensus alone: every timer it sets is handed back when due, in order.
    static func decide(_ chain: Chain) async throws {
        let endpoint = InProcessNetwork().join(as: PeerID("solo"))
        var pending = try await chain.startConsensus(network: endpoint, timeouts: .local).map { (ContinuousClock.now + $0.delay, $0.event) }
        while !Task.isCancelled, !pending.isEmpty {
            pending.sort { $0.0 < $1.0 }
            let (due, event) = pending.removeFirst()
            try await Task.sleep(until: due)
            pending += try await chain.handle(event, time: ChainFixtures.genesisTime + 1).map { (ContinuousClock.now + $0.delay, $0.event) }
        }
    }

    @Test("transfers submitted one after another while blocks commit by rounds are all admitted and committed")
    func streamingSenderIsNeverRefused() async throws {
        try await withTemporaryDirectory { directory in
            let chain = try await openChain(in: directory)
            let deciding = Task { try await Self.decide(chain) }
            defer { deciding.cancel() }
            var last: Transaction?
            for nonce in 0..<UInt64(300) {
                let transfer = ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 1, nonce: nonce)
                _ = try await chain.submit(encoding: transfer.canonicalEncoding)
                last = transfer
                if nonce % 10 == 0 { try await Task.sleep(for: .milliseconds(1)) }
            }
            #expect(await chain.waitForReceipt(try #require(last).hash, timeout: .seconds(30)) != nil)
            #expect(await chain.view.height > 3, "the transfers spread over several blocks")
        }
    }
}
