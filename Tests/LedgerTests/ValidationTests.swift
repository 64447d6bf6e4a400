// LedgerTests: invalid transactions (1xx) change nothing; malformed encodings do not decode.

import DeAICore
import DeAITesting
import Ledger
import Testing

struct ValidationTests {
    /// An invalid transaction, the transactions applied before it, and the code it must be refused with.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var code: UInt16
        var parameters: ChainParameters = ChainParameters()
        var setup: @Sendable () -> [Transaction] = { [] }
        var make: @Sendable () -> Transaction
        var testDescription: String { self.name }
    }

    static let to = ChainFixtures.address(2)

    static let cases: [Case] = [
        Case(name: "wrong chain ID", code: 102) {
            ChainFixtures.transfer(from: 1, to: to, amount: 1, nonce: 0, chainID: "deai-other")
        },
        Case(name: "bad signature: a flipped signature byte", code: 103) {
            let tx = ChainFixtures.transfer(from: 1, to: to, amount: 1, nonce: 0)
            var bytes = tx.signature.rawRepresentation
            bytes[17] ^= 0x01
            return Transaction(body: tx.body, signature: try! Signature(rawRepresentation: bytes))
        },
        Case(name: "bad signature: a body changed after signing", code: 103) {
            var tx = ChainFixtures.transfer(from: 1, to: to, amount: 1, nonce: 0)
            tx.body.payload = .transfer(to: to, amount: 1_000)
            return tx
        },
        Case(name: "bad signature: signed by another key", code: 103) {
            let other = ChainFixtures.transfer(from: 2, to: to, amount: 1, nonce: 0)
            var tx = ChainFixtures.transfer(from: 1, to: to, amount: 1, nonce: 0)
            tx.signature = other.signature
            return tx
        },
        Case(
            name: "replayed nonce",
            code: 106,
            setup: { [ChainFixtures.transfer(from: 1, to: to, amount: 1, nonce: 0)] },
            make: { ChainFixtures.transfer(from: 1, to: to, amount: 1, nonce: 0) }
        ),
        Case(name: "future nonce", code: 107) {
            ChainFixtures.transfer(from: 1, to: to, amount: 1, nonce: 1)
        },
        Case(
            name: "fee below the minimum",
            code: 108,
            parameters: {
                var p = ChainParameters()
                p.minimumFee = 10
                return p
            }()
        ) {
            ChainFixtures.transfer(from: 1, to: to, amount: 1, nonce: 0, fee: 9)
        },
        Case(name: "zero fee", code: 108) {
            ChainFixtures.transfer(from: 1, to: to, amount: 1, nonce: 0, fee: 0)
        },
        Case(name: "cannot pay the fee: empty account", code: 109) {
            ChainFixtures.transfer(from: 25, to: to, amount: 1, nonce: 0)
        },
        Case(name: "cannot pay the fee: fee above the balance", code: 109) {
            ChainFixtures.transfer(from: 1, to: to, amount: 1, nonce: 0, fee: ChainFixtures.balance + 1)
        },
        Case(
            name: "oversized transaction",
            code: 104,
            parameters: {
                var p = ChainParameters()
                p.maxTransactionBytes = 256
                return p
            }()
        ) {
            ChainFixtures.transfer(from: 1, to: to, amount: 1, nonce: 0, memo: String(repeating: "m", count: 200))
        },
        Case(name: "oversized memo", code: 105) {
            ChainFixtures.transfer(from: 1, to: to, amount: 1, nonce: 0, memo: String(repeating: "é", count: 129))
        },
    ]

    @Test("an invalid transaction is refused with its code and changes nothing", arguments: cases)
    func invalid(_ testCase: Case) throws {
        var ledger = try TestLedger(genesis: ChainFixtures.genesis(parameters: testCase.parameters))
        for tx in testCase.setup() { #expect(try ledger.apply(tx).succeeded) }
        _ = ledger.state.takeChanges()
        let before = ledger.entries
        let tx = testCase.make()

        let validated = #expect(throws: LedgerError.self) {
            try StateTransition.validate(
                tx,
                encodedSize: tx.canonicalEncoding.count,
                in: ledger.state,
                checkSignature: true
            )
        }
        #expect(validated?.code == testCase.code)
        #expect(validated?.isInvalidTransaction == true)
        if testCase.code != 103 {
            // `apply` trusts the caller's signature check and refuses everything else the same way.
            let applied = #expect(throws: LedgerError.self) { try ledger.apply(tx) }
            #expect(applied?.code == testCase.code)
        } else {
            #expect(!tx.hasValidSignature)
        }
        #expect(ledger.state.takeChanges().isEmpty)
        #expect(ledger.entries == before)
    }

    @Test("a valid transaction passes validation with its signature checked")
    func valid() throws {
        let ledger = try TestLedger()
        let tx = ChainFixtures.transfer(
            from: 1,
            to: Self.to,
            amount: 1,
            nonce: 0,
            memo: String(repeating: "m", count: 256)
        )
        #expect(tx.hasValidSignature)
        try StateTransition.validate(
            tx,
            encodedSize: tx.canonicalEncoding.count,
            in: ledger.state,
            checkSignature: true
        )
    }

    @Test("an invalid transaction in a block makes the whole block invalid")
    func invalidInBlock() throws {
        var ledger = try TestLedger()
        let good = ChainFixtures.transfer(from: 1, to: Self.to, amount: 1, nonce: 0)
        let replay = good
        let error = #expect(throws: LedgerError.self) { try ledger.block([good, replay]) }
        #expect(error?.code == 106)
    }

    // MARK: - Malformed encodings

    /// The offset of the payload tag in `tx`'s encoding.
    static func payloadTagOffset(_ tx: Transaction) -> Int {
        var encoder = CanonicalEncoder()
        encoder.encode(tx.body.chainID)
        encoder.encode(tx.body.sender)
        encoder.encode(tx.body.nonce)
        encoder.encode(tx.body.fee)
        return encoder.bytes.count
    }

    enum Malformation: String, Sendable, CaseIterable {
        case truncated, trailingByte, unknownPayloadTag, unknownVoteOption, empty
    }

    @Test("a malformed encoding fails to decode with a CodecError", arguments: Malformation.allCases)
    func malformed(_ malformation: Malformation) throws {
        let vote = ChainFixtures.signed(.vote(proposalID: 1, option: .yes), from: 1, nonce: 0)
        var bytes = vote.canonicalEncoding
        #expect(try Transaction(canonicalEncoding: bytes) == vote)
        switch malformation {
        case .truncated: bytes.removeLast()
        case .trailingByte: bytes.append(0)
        case .unknownPayloadTag: bytes[Self.payloadTagOffset(vote)] = 0xEE
        case .unknownVoteOption:
            // The vote option sits right after the tag and the proposal ID (one varint byte).
            bytes[Self.payloadTagOffset(vote) + 2] = 7
        case .empty: bytes = []
        }
        let codecError = #expect(throws: CodecError.self) { try Transaction(canonicalEncoding: bytes) }
        switch (malformation, codecError) {
        case (.truncated, .unexpectedEnd?), (.empty, .unexpectedEnd?), (.trailingByte, .trailingBytes?),
            (.unknownPayloadTag, .unknownTag(_, 0xEE, "Payload")?),
            (.unknownVoteOption, .unknownTag(_, 7, "VoteOption")?):
            break
        default: Issue.record("unexpected error \(String(describing: codecError))")
        }
        // The node's entry point turns it into a 101 malformed transaction.
        let ledgerError = #expect(throws: LedgerError.self) { try VerifiedTransaction(encoding: bytes) }
        #expect(ledgerError?.code == 101)
    }
}
