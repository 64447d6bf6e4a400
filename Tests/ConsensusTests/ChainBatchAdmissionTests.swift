// ConsensusTests: a batch of transactions is verified at once and admitted in the order sent.

import Consensus
import DeAICore
import DeAITesting
import Ledger
import Testing

struct ChainBatchAdmissionTests {
    @Test("a batch admits one sender's consecutive nonces and refuses garbage, bad signatures and replays in place")
    func batch() async throws {
        try await withTemporaryDirectory { directory in
            let chain = try await openChain(in: directory)
            let first = ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 5, nonce: 0)
            let second = ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 5, nonce: 1)
            var forged = ChainFixtures.transfer(from: 3, to: ChainFixtures.address(2), amount: 5, nonce: 0).canonicalEncoding
            forged[forged.count - 1] ^= 0x01  // the last byte belongs to the signature
            let results = await chain.submit(encodings: [
                first.canonicalEncoding, [0xFF, 0x00], second.canonicalEncoding, forged, first.canonicalEncoding,
            ])
            #expect(results.count == 5)
            #expect(try results[0].get() == first.hash)
            #expect(try results[2].get() == second.hash)
            #expect(throws: LedgerError.self) { try results[1].get() }
            #expect(throws: LedgerError.invalidSignature) { try results[3].get() }
            #expect(throws: ConsensusError.duplicateTransaction(first.hash)) { try results[4].get() }
            #expect(await chain.pendingTransactionCount == 2)
        }
    }
}
