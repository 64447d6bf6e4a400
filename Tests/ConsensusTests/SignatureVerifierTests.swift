// ConsensusTests: batch signature verification agrees with one-by-one verification.

import Consensus
import DeAICore
import DeAITesting
import Ledger
import Testing

struct SignatureVerifierTests {
    @Test(
        "batch results equal per-transaction hasValidSignature, invalid ones mixed in",
        arguments: [0, 1, 63, 64, 65, 300]
    )
    func batch(count: Int) throws {
        var rng = SeededGenerator(seed: UInt64(count))
        let transactions = try (0..<count).map { index -> VerifiedTransaction in
            var tx = ChainFixtures.transfer(
                from: index % 5,
                to: ChainFixtures.address(7),
                amount: UInt64(index),
                nonce: UInt64(index)
            )
            switch Int.random(in: 0..<6, using: &rng) {
            case 0:
                var bytes = tx.signature.rawRepresentation
                bytes[Int.random(in: 0..<64, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
                tx.signature = try Signature(rawRepresentation: bytes)
            case 1: tx.body.fee += 1
            default: break
            }
            return VerifiedTransaction(tx)
        }
        let expected = transactions.map(\.transaction.hasValidSignature)
        let results = SignatureVerifier.verify(transactions)
        #expect(results == expected)
        if count >= 64 {
            #expect(results.contains(false))
            #expect(results.contains(true))
        }
    }
}
