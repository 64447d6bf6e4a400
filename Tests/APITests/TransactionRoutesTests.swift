// APITests: submitting transactions and reading them back.

import APITypes
import Consensus
import DeAICore
import HTTPTypes
import HummingbirdTesting
import Ledger
import Testing

@Suite("POST /v1/txs and GET /v1/txs/{hash}")
struct TransactionRoutesTests {
    @Test("a transfer submitted with wait=true returns its receipt once committed, and the balances move")
    func submitAndWait() async throws {
        try await TestNode.withNode { node in
            try await node.app().test(.router) { client in
                let transfer = try TestNode.transfer(amount: 250, nonce: 0, fee: 3)
                async let pending = client.submit(transfer, query: "?wait=true&wait_timeout_ms=10000")
                try await node.waitUntilMempoolHolds(1)
                let block = try await node.produceBlock()
                let response = try await pending

                #expect(response.status == .ok)
                let result = try response.decode(SubmitResult.self)
                #expect(result.hash == transfer.hash)
                let receipt = try #require(result.receipt)
                #expect(receipt.success)
                #expect(receipt.code == 0)
                #expect(receipt.height == block.header.height)
                #expect(receipt.fee == 3)

                let alice = try await client.get("/v1/accounts/\(TestNode.alice.verifyingKey.address)")
                    .decode(AccountView.self)
                #expect(alice.balance == TestNode.fundedBalance - 250 - 3)
                #expect(alice.nonce == 1)
                let bob = try await client.get("/v1/accounts/\(TestNode.bob.verifyingKey.address)").decode(AccountView.self)
                #expect(bob.balance == 250)
            }
        }
    }

    @Test("without wait the answer is 202 with the hash; the transaction is readable once committed")
    func submitThenRead() async throws {
        try await TestNode.withNode { node in
            try await node.app().test(.router) { client in
                let transfer = try TestNode.transfer(nonce: 0, memo: "rent")
                let response = try await client.submit(transfer)
                #expect(response.status == .accepted)
                #expect(try response.decode(SubmitResult.self) == SubmitResult(hash: transfer.hash))

                try await client.get("/v1/txs/\(transfer.hash)").expectError(.notFound, code: 1001, name: "not_found")
                try await node.produceBlock()

                let read = try await client.get("/v1/txs/\(transfer.hash)")
                #expect(read.status == .ok)
                let view = try read.decode(TransactionView.self)
                #expect(view.hash == transfer.hash)
                #expect(view.height == 1)
                #expect(view.index == 0)
                #expect(view.sender == TestNode.alice.verifyingKey.address)
                #expect(view.memo == "rent")
                #expect(view.payload.type == "transfer")
                #expect(view.payload.to == TestNode.bob.verifyingKey.address)
                #expect(view.payload.amount == 250)
                #expect(view.receipt.success)
                #expect(try Transaction(canonicalEncoding: view.encoding.bytes) == transfer)
            }
        }
    }

    @Test("a batch is admitted in order and answered per transaction, refusals included")
    func batch() async throws {
        try await TestNode.withNode { node in
            try await node.app().test(.router) { client in
                let transfers = try (0..<3).map { try TestNode.transfer(amount: 10, nonce: $0) }
                let replay = transfers[0]
                let encodings = (transfers + [replay]).map(\.canonicalEncoding)
                var request = SubmitRequest(transactions: encodings)
                request.txs?.append("not hex")

                async let pending = client.post("/v1/txs?wait=true", json: request)
                try await node.waitUntilMempoolHolds(3)
                try await node.produceBlock()
                let response = try await pending

                #expect(response.status == .ok)
                let answer = try response.decode(SubmitBatchResult.self)
                #expect(answer.accepted == 3)
                #expect(answer.rejected == 2)
                #expect(answer.results.count == 5)
                for (result, transfer) in zip(answer.results, transfers) {
                    #expect(result.hash == transfer.hash)
                    #expect(result.receipt?.success == true)
                }
                #expect(answer.results[3].error?.name == "duplicate_transaction")
                #expect(answer.results[3].error?.code == 1102)
                #expect(answer.results[4].error?.name == "bad_body")
                #expect(answer.results[4].error?.code == 1004)
            }
        }
    }

    @Test("a replayed transaction is refused with 409 nonce_already_used once its nonce is spent")
    func replay() async throws {
        try await TestNode.withNode { node in
            try await node.app().test(.router) { client in
                let transfer = try TestNode.transfer(nonce: 0)
                #expect(try await client.submit(transfer).status == .accepted)
                try await node.produceBlock()
                try await client.submit(transfer).expectError(.conflict, code: 106, name: "nonce_already_used")
            }
        }
    }

    @Test("wait ends with 202 and no receipt when nothing commits before the timeout")
    func waitTimesOut() async throws {
        try await TestNode.withNode { node in
            try await node.app().test(.router) { client in
                let transfer = try TestNode.transfer(nonce: 0)
                let response = try await client.submit(transfer, query: "?wait=true&wait_timeout_ms=50")
                #expect(response.status == .accepted)
                #expect(try response.decode(SubmitResult.self) == SubmitResult(hash: transfer.hash))
            }
        }
    }
}
