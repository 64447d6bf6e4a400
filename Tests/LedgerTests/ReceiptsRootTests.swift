// LedgerTests: a block's receipts root commits to codes, not to the words that explain them.

import DeAICore
import Ledger
import Testing

struct ReceiptsRootTests {
    static func receipt(code: UInt16 = 201, message: String, fee: Amount = 1) -> TransactionReceipt {
        TransactionReceipt(
            transactionHash: SHA256Digest(hashing: [7]), height: 3, index: 0, code: code, message: message, fee: fee)
    }

    @Test("rewording a receipt's message leaves the receipts root alone; a different code or fee changes it")
    func messagesAreNotCommitted() {
        let root = Block.receiptsRoot(of: [Self.receipt(message: "insufficient funds: deai1… needs 5, has 4")])
        #expect(Block.receiptsRoot(of: [Self.receipt(message: "not enough tokens")]) == root)
        #expect(Block.receiptsRoot(of: [Self.receipt(code: 202, message: "not enough tokens")]) != root)
        #expect(Block.receiptsRoot(of: [Self.receipt(message: "not enough tokens", fee: 2)]) != root)
    }

    @Test("the stored receipt still keeps its message")
    func storedReceiptKeepsMessage() throws {
        let receipt = Self.receipt(message: "insufficient funds")
        #expect(try TransactionReceipt(canonicalEncoding: receipt.canonicalEncoding).message == "insufficient funds")
    }
}

struct ProposalFailureTests {
    @Test("a proposal's failure is a code in the state, with its words beside it")
    func codes() throws {
        let failures: [ProposalFailure] = [.depositNotReached, .quorumNotReached, .vetoed, .thresholdNotPassed, .executionFailed(code: 201)]
        for failure in failures {
            #expect(try ProposalFailure(canonicalEncoding: failure.canonicalEncoding) == failure)
        }
        #expect(ProposalFailure.vetoed.canonicalEncoding == [3])
        #expect(ProposalFailure.executionFailed(code: 201).description.contains("ledger error 201"))
        #expect(throws: CodecError.self) { try ProposalFailure(canonicalEncoding: [9]) }
    }
}
