// APITests: every kind of bad submission gets its status, code and name, and changes nothing.

import APITypes
import Consensus
import DeAICore
import HTTPTypes
import HummingbirdTesting
import Ledger
import Testing

@Suite("bad submissions")
struct SubmissionErrorTests {
    /// A bad body for `POST /v1/txs`, and the error it must get.
    enum BadSubmission: String, CaseIterable, Sendable {
        case malformedJSON, missingField, bothFields, emptyBatch, notHex, notATransaction, invalidSignature
        case wrongChainID, futureNonce, feeTooLow, feeNotPayable, memoTooLarge

        /// The request body.
        func body() throws -> String {
            switch self {
            case .malformedJSON: return #"{"tx": "#
            case .missingField: return "{}"
            case .bothFields: return #"{"tx": "00", "txs": ["00"]}"#
            case .emptyBatch: return #"{"txs": []}"#
            case .notHex: return #"{"tx": "zz"}"#
            case .notATransaction: return #"{"tx": "deadbeef"}"#
            case .invalidSignature:
                var transfer = try TestNode.transfer(nonce: 0)
                let other = try TestNode.transfer(amount: 999, nonce: 0)
                transfer.signature = other.signature
                return Self.json(transfer)
            case .wrongChainID:
                return Self.json(try TestNode.transaction(.transfer(to: TestNode.bob.verifyingKey.address, amount: 1), nonce: 0, chainID: "other-chain"))
            case .futureNonce: return Self.json(try TestNode.transfer(nonce: 5))
            case .feeTooLow: return Self.json(try TestNode.transfer(nonce: 0, fee: 0))
            case .feeNotPayable:
                return Self.json(try TestNode.transaction(.transfer(to: TestNode.alice.verifyingKey.address, amount: 1), from: TestNode.bob, nonce: 0))
            case .memoTooLarge: return Self.json(try TestNode.transfer(nonce: 0, memo: String(repeating: "m", count: 300)))
            }
        }

        /// The expected status, code and name.
        var expected: (status: HTTPResponse.Status, code: UInt16, name: String) {
            switch self {
            case .malformedJSON, .missingField, .bothFields, .emptyBatch, .notHex: (.badRequest, 1004, "bad_body")
            case .notATransaction: (.badRequest, 101, "malformed_transaction")
            case .wrongChainID: (.badRequest, 102, "wrong_chain_id")
            case .invalidSignature: (.badRequest, 103, "invalid_signature")
            case .memoTooLarge: (.badRequest, 105, "memo_too_large")
            case .futureNonce: (.badRequest, 107, "nonce_in_future")
            case .feeTooLow: (.badRequest, 108, "fee_too_low")
            case .feeNotPayable: (.badRequest, 109, "insufficient_funds_for_fee")
            }
        }

        private static func json(_ transaction: Transaction) -> String {
            #"{"tx": ""# + transaction.canonicalEncoding.hexString + #""}"#
        }
    }

    @Test("a bad submission gets its error and leaves the chain untouched", arguments: BadSubmission.allCases)
    func badSubmission(_ submission: BadSubmission) async throws {
        try await TestNode.withNode { node in
            let before = await node.chain.status
            try await node.app().test(.router) { client in
                let expected = submission.expected
                try await client.post("/v1/txs", body: try submission.body())
                    .expectError(expected.status, code: expected.code, name: expected.name)
            }
            let after = await node.chain.status
            #expect(after == before)
        }
    }

    @Test("a transaction over max_transaction_bytes is refused with 413 transaction_too_large")
    func transactionTooLarge() async throws {
        var parameters = ChainParameters()
        parameters.maxTransactionBytes = 256
        try await TestNode.withNode(parameters: parameters) { node in
            try await node.app().test(.router) { client in
                let transfer = try TestNode.transfer(nonce: 0, memo: String(repeating: "m", count: 200))
                #expect(transfer.canonicalEncoding.count > 256)
                try await client.submit(transfer).expectError(.contentTooLarge, code: 104, name: "transaction_too_large")
            }
        }
    }

    @Test("a body over maxBodyBytes is refused with 413 body_too_large before it is read")
    func bodyTooLarge() async throws {
        try await TestNode.withNode { node in
            try await node.app(configuration: APIConfiguration(maxBodyBytes: 1_024)).test(.router) { client in
                let body = #"{"tx": ""# + String(repeating: "00", count: 1_024) + #""}"#
                try await client.post("/v1/txs", body: body).expectError(.contentTooLarge, code: 1005, name: "body_too_large")
                let transfer = try TestNode.transfer(nonce: 0)
                #expect(try await client.submit(transfer).status == .accepted)
            }
        }
    }

    @Test("bad query parameters are refused with 400 bad_query", arguments: ["?wait=maybe", "?wait=true&wait_timeout_ms=x", "?wait_timeout_ms=600001"])
    func badQuery(_ query: String) async throws {
        try await TestNode.withNode { node in
            try await node.app().test(.router) { client in
                try await client.submit(try TestNode.transfer(nonce: 0), query: query)
                    .expectError(.badRequest, code: 1003, name: "bad_query")
            }
        }
    }
}
