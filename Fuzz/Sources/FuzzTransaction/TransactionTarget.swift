// TransactionTarget: signed transactions and the records inside them, as a block or the mempool reads them.

import DeAICore
import FuzzSupport
import Ledger

/// Feeds Ledger's transaction decoders. The first byte picks the type; what decodes must re-encode to the same bytes,
/// and a decoded transaction's signature check, hash and sender address must not trap.
enum TransactionTarget: FuzzTarget {
    static func test(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let mode = input.takeByte()
        let body = input.rest
        switch mode % 6 {
        case 0:
            if let transaction = FuzzCheck.canonicalRoundTrip(Transaction.self, body) {
                _ = transaction.hasValidSignature
                FuzzCheck.require(transaction.hash == Transaction.hash(ofEncoding: body), "a transaction's hash")
                _ = transaction.body.senderAddress
            }
        case 1: FuzzCheck.canonicalRoundTrip(TransactionBody.self, body)
        case 2:
            if let payload = FuzzCheck.canonicalRoundTrip(Payload.self, body) { _ = payload.tag }
        case 3: FuzzCheck.canonicalRoundTrip(TransactionReceipt.self, body)
        case 4: FuzzCheck.canonicalRoundTrip(ProposalContent.self, body)
        default: FuzzCheck.canonicalRoundTrip(TaskSpec.self, body)
        }
    }

    static var seeds: [(name: String, bytes: [UInt8])] {
        let transactions = LedgerSamples.payloads.map { ($0.name, LedgerSamples.transaction($0.payload).canonicalEncoding) }
        let receipt = TransactionReceipt(
            transactionHash: FuzzSeeds.digest("tx"), height: 9, index: 1, code: 1003, message: "insufficient funds", fee: 5)
        return FuzzSeeds.selected(0, "transaction", transactions)
            + FuzzSeeds.selected(1, "body", [("transfer", LedgerSamples.transaction(LedgerSamples.payloads[0].payload).body.canonicalEncoding)])
            + FuzzSeeds.selected(2, "payload", LedgerSamples.payloads.prefix(4).map { ($0.name, $0.payload.canonicalEncoding) })
            + FuzzSeeds.selected(3, "receipt", [("failed", receipt.canonicalEncoding)])
            + FuzzSeeds.selected(4, "proposal", [
                ("text", ProposalContent.text(title: "t", description: "d").canonicalEncoding),
                ("treasury", ProposalContent.treasurySpend(title: "t", recipient: FuzzSeeds.signingKey(3).verifyingKey.address,
                    amount: 4).canonicalEncoding),
            ])
            + FuzzSeeds.selected(5, "task-spec", [("digits", LedgerSamples.taskSpec.canonicalEncoding)])
    }
}
