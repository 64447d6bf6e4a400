// APITests: blocks, accounts with proofs, validators, parameters and status.

import API
import APITypes
import Consensus
import DeAICore
import DeAITesting
import HTTPTypes
import HummingbirdTesting
import Ledger
import Testing

@Suite("GET /v1/blocks, /v1/accounts, /v1/validators, /v1/params, /v1/status")
struct QueryRoutesTests {
    @Test("a block by height and as latest: header, hash, transaction hashes and commit")
    func block() async throws {
        try await TestNode.withNode { node in
            try await node.app().test(.router) { client in
                let transfer = try TestNode.transfer(nonce: 0)
                _ = try await client.submit(transfer)
                let block = try await node.produceBlock()

                for path in ["/v1/blocks/1", "/v1/blocks/latest"] {
                    let response = try await client.get(path)
                    #expect(response.status == .ok)
                    let view = try response.decode(BlockView.self)
                    #expect(view.hash == block.hash)
                    #expect(view.header.header == block.header)
                    #expect(view.header.header.hash == view.hash)
                    #expect(view.transactionCount == 1)
                    #expect(view.transactions == [transfer.hash])
                    let commit = try #require(view.commit).commit
                    #expect(commit.blockHash == block.hash)
                    let validators = ValidatorSet(state: await node.chain.view.state)
                    try commit.verify(chainID: TestNode.chainID, height: 1, blockHash: block.hash, validatorSet: validators)
                }
            }
        }
    }

    @Test("a missing or malformed block height", arguments: [
        ("/v1/blocks/latest", HTTPResponse.Status.notFound, UInt16(1001)),
        ("/v1/blocks/0", .notFound, 1001),
        ("/v1/blocks/99", .notFound, 1001),
        ("/v1/blocks/abc", .badRequest, 1002),
        ("/v1/blocks/-1", .badRequest, 1002),
    ])
    func badHeight(_ path: String, _ status: HTTPResponse.Status, _ code: UInt16) async throws {
        try await TestNode.withNode { node in
            try await node.app().test(.router) { client in
                try await client.get(path).expectError(status, code: code, name: code == 1001 ? "not_found" : "bad_path")
            }
        }
    }

    @Test("an account with ?prove=true verifies against the returned header's state root")
    func accountProof() async throws {
        try await TestNode.withNode { node in
            try await node.app().test(.router) { client in
                _ = try await client.submit(try TestNode.transfer(amount: 500, nonce: 0))
                try await node.produceBlock()

                let alice = try await client.get("/v1/accounts/\(TestNode.alice.verifyingKey.address)?prove=true")
                    .decode(AccountView.self)
                #expect(alice.height == 1)
                let proof = try #require(alice.proof)
                let header = try #require(proof.header).header
                #expect(header.hash == proof.blockHash)
                #expect(header.stateRoot == proof.stateRoot)
                let proven = try #require(try proof.proof.stateProof.verify(against: header.stateRoot))
                let account = try Account(canonicalEncoding: proven)
                #expect(account.balance == alice.balance)
                #expect(account.nonce == alice.nonce)
                #expect(alice.balance == TestNode.fundedBalance - 500 - 1)

                let blockHeader = try await client.get("/v1/blocks/latest").decode(BlockView.self).header.header
                #expect(blockHeader == header)
            }
        }
    }

    @Test("next_nonce counts the transactions waiting in the mempool; nonce is the committed one")
    func nextNonceCountsPending() async throws {
        try await TestNode.withNode { node in
            try await node.app().test(.router) { client in
                let alice = TestNode.alice.verifyingKey.address
                for nonce: UInt64 in 0..<2 { _ = try await client.submit(try TestNode.transfer(nonce: nonce)) }
                let pending = try await client.get("/v1/accounts/\(alice)").decode(AccountView.self)
                #expect(pending.nonce == 0)
                #expect(pending.nextNonce == 2)
                try await node.produceBlock()
                let committed = try await client.get("/v1/accounts/\(alice)").decode(AccountView.self)
                #expect(committed.nonce == 2)
                #expect(committed.nextNonce == 2)
            }
        }
    }

    @Test("an unknown account is empty and its proof is one of absence")
    func absentAccount() async throws {
        try await TestNode.withNode { node in
            try await node.app().test(.router) { client in
                let stranger = TestKeys.signingKey(42).verifyingKey.address
                let view = try await client.get("/v1/accounts/\(stranger)?prove=true").decode(AccountView.self)
                #expect(view.balance == 0)
                #expect(view.nonce == 0)
                #expect(view.height == 0)
                let proof = try #require(view.proof)
                #expect(proof.header == nil)
                #expect(try proof.proof.stateProof.verify(against: proof.stateRoot) == nil)
                #expect(proof.stateRoot == (await node.chain.status).stateRoot)
            }
        }
    }

    @Test("a malformed address or proof flag is a 400")
    func badAccountRequest() async throws {
        try await TestNode.withNode { node in
            try await node.app().test(.router) { client in
                try await client.get("/v1/accounts/deai1notanaddress").expectError(.badRequest, code: 1002, name: "bad_path")
                try await client.get("/v1/accounts/\(TestNode.alice.verifyingKey.address)?prove=perhaps")
                    .expectError(.badRequest, code: 1003, name: "bad_query")
            }
        }
    }

    @Test("validators, parameters and status")
    func chainViews() async throws {
        try await TestNode.withNode { node in
            try await node.app().test(.router) { client in
                try await node.produceBlock()

                let validators = try await client.get("/v1/validators").decode(ValidatorsView.self)
                #expect(validators.height == 1)
                #expect(validators.totalPower == TestNode.validatorStake)
                let validator = try #require(validators.validators.first)
                #expect(validator.operatorAddress == TestNode.validator.verifyingKey.address)
                #expect(validator.power == TestNode.validatorStake)
                #expect(validator.active)

                let parameters = try await client.get("/v1/params").decode(ParametersView.self)
                #expect(parameters.parameters == ChainParameters())
                let raw = try await client.get("/v1/params").text
                #expect(raw.contains(#""minimum_fee":1"#))

                let status = try await client.get("/v1/status").decode(StatusView.self)
                #expect(status == StatusView(await node.chain.status))
                #expect(status.chainID == TestNode.chainID)
                #expect(status.height == 1)
                #expect(status.validatorAddress == TestNode.validator.verifyingKey.address)
            }
        }
    }

    @Test("an unknown transaction hash is a 404, a malformed one a 400, an unknown route a JSON 404, a wrong method a 405")
    func notFound() async throws {
        try await TestNode.withNode { node in
            try await node.app().test(.router) { client in
                let unknown = SHA256Digest(hashing: Array("nothing".utf8))
                try await client.get("/v1/txs/\(unknown)").expectError(.notFound, code: 1001, name: "not_found")
                try await client.get("/v1/txs/1234").expectError(.badRequest, code: 1002, name: "bad_path")
                try await client.get("/v1/nothing").expectError(.notFound, code: 1001, name: "not_found")
                try await client.execute(uri: "/v1/status", method: .delete)
                    .expectError(.methodNotAllowed, code: 1007, name: "method_not_allowed")
            }
        }
    }
}
