// LedgerTests: transfers, as (state, tx) → (state′, receipt) tables.

import DeAICore
import DeAITesting
import Ledger
import Testing

struct TransferTests {
    /// One transfer and what it must do: the receipt code and each account's balance change.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var recipient: Int
        var amount: Amount
        var fee: Amount
        var code: UInt16
        /// Balance change per test-key index; the sender is key 1, the proposer (fees) key 0.
        var deltas: [Int: Int64]
        var testDescription: String { self.name }
    }

    static let sender = 1
    static let cases: [Case] = [
        Case(
            name: "success moves funds, fee to proposer",
            recipient: 2,
            amount: 500,
            fee: 10,
            code: 0,
            deltas: [1: -510, 2: 500, 0: 10]
        ),
        Case(name: "to a new account", recipient: 20, amount: 7, fee: 1, code: 0, deltas: [1: -8, 20: 7, 0: 1]),
        Case(
            name: "whole balance less the fee",
            recipient: 2,
            amount: ChainFixtures.balance - 3,
            fee: 3,
            code: 0,
            deltas: [1: -Int64(ChainFixtures.balance), 2: Int64(ChainFixtures.balance) - 3, 0: 3]
        ),
        Case(
            name: "insufficient funds: only fee and nonce",
            recipient: 2,
            amount: ChainFixtures.balance,
            fee: 5,
            code: 201,
            deltas: [1: -5, 2: 0, 0: 5]
        ),
        Case(
            name: "zero amount: only fee and nonce",
            recipient: 2,
            amount: 0,
            fee: 2,
            code: 202,
            deltas: [1: -2, 2: 0, 0: 2]
        ),
        Case(name: "self-transfer: only the fee", recipient: 1, amount: 400, fee: 4, code: 0, deltas: [1: -4, 0: 4]),
        Case(
            name: "self-transfer beyond the balance fails",
            recipient: 1,
            amount: ChainFixtures.balance + 1,
            fee: 4,
            code: 201,
            deltas: [1: -4, 0: 4]
        ),
    ]

    @Test("transfer", arguments: cases)
    func transfer(_ testCase: Case) throws {
        var ledger = try TestLedger()
        let before = Dictionary(uniqueKeysWithValues: testCase.deltas.keys.map { ($0, ledger.balance($0)) })
        let tx = ChainFixtures.transfer(
            from: Self.sender,
            to: ChainFixtures.address(testCase.recipient),
            amount: testCase.amount,
            nonce: 0,
            fee: testCase.fee
        )
        let receipt = try ledger.apply(tx)

        #expect(receipt.code == testCase.code)
        #expect(receipt.succeeded == (testCase.code == 0))
        #expect(receipt.message.isEmpty == (testCase.code == 0))
        #expect(receipt.fee == testCase.fee)
        #expect(receipt.transactionHash == tx.hash)
        #expect(ledger.nonce(Self.sender) == 1)
        for (index, delta) in testCase.deltas {
            #expect(Int64(ledger.balance(index)) - Int64(before[index]!) == delta, "balance of key \(index)")
        }
        if testCase.code != 0 {
            // A failed payload changes nothing but the sender's fee and nonce and the proposer's fee.
            let changed = Set(ledger.state.takeChanges().map(\.key))
            #expect(
                changed == [
                    StateKey.account(ChainFixtures.address(Self.sender)).bytes,
                    StateKey.account(ChainFixtures.validatorAddress).bytes,
                ]
            )
        }
        #expect(ledger.state.accountedSupply == ledger.state.globals.totalSupply)
    }

    @Test("a sender's transactions apply in nonce order and each pays its fee")
    func sequence() throws {
        var ledger = try TestLedger()
        for nonce in 0..<5 as Range<UInt64> {
            let receipt = try ledger.apply(
                ChainFixtures.transfer(from: 3, to: ChainFixtures.address(4), amount: 100, nonce: nonce, fee: 2)
            )
            #expect(receipt.succeeded)
        }
        #expect(ledger.nonce(3) == 5)
        #expect(ledger.balance(3) == ChainFixtures.balance - 510)
        #expect(ledger.balance(4) == ChainFixtures.balance + 500)
    }
}
