// APITests: a one-validator chain on a temporary database, with the API in front of it.

import API
import APITypes
import Consensus
import DeAICore
import DeAITesting
import Foundation
import Hummingbird
import Ledger
import Logging
import Prometheus
import Storage
import Testing

/// A real ``Chain`` on a database in a fresh temporary directory, with test keys: the validator (key 0) and
/// Alice (key 1) are funded, Bob (key 2) has nothing. Blocks are produced by calling `produceBlock(time:)`
/// directly: no timers.
struct TestNode {
    static let chainID = "deai-api-test"
    static let genesisTime: UInt64 = 1_764_000_000_000
    static let validator = TestKeys.signingKey(0)
    static let alice = TestKeys.signingKey(1)
    static let bob = TestKeys.signingKey(2)
    static let fundedBalance: Amount = 1_000_000
    static let validatorStake: Amount = 100_000

    /// A logger that drops everything: the suite's output stays readable.
    static let quietLogger = Logger(label: "deai.api.tests") { _ in SwiftLogNoOpLogHandler() }

    let chain: Chain

    /// Runs `body` with a node on a fresh database, then deletes the database.
    static func withNode<Result>(
        parameters: ChainParameters = ChainParameters(),
        funding extraAccounts: [Address] = [],
        _ body: (TestNode) async throws -> Result
    ) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deai-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try NodeDatabase(path: directory.appendingPathComponent("node.sqlite").path)
        let chain = try await Chain.open(
            database: database, genesis: Self.genesis(parameters: parameters, funding: extraAccounts),
            validatorKey: Self.validator, configuration: ChainConfiguration(), logger: Self.quietLogger
        )
        return try await body(TestNode(chain: chain))
    }

    /// The genesis: the validator with its stake, the validator, Alice and `extraAccounts` funded.
    static func genesis(parameters: ChainParameters, funding extraAccounts: [Address] = []) -> Genesis {
        Genesis(
            chainID: Self.chainID, genesisTime: Self.genesisTime, parameters: parameters,
            accounts: [
                Genesis.FundedAccount(address: Self.validator.verifyingKey.address, balance: Self.fundedBalance),
                Genesis.FundedAccount(address: Self.alice.verifyingKey.address, balance: Self.fundedBalance),
            ] + extraAccounts.map { Genesis.FundedAccount(address: $0, balance: Self.fundedBalance) },
            validators: [
                Genesis.GenesisValidator(
                    operatorAddress: Self.validator.verifyingKey.address, consensusKey: Self.validator.verifyingKey,
                    stake: Self.validatorStake, moniker: "v0"
                )
            ]
        )
    }

    /// The API application in front of the chain.
    func app(
        configuration: APIConfiguration = APIConfiguration(),
        metrics: PrometheusCollectorRegistry? = nil,
        blobs: BlobStore? = nil,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        makeAPIApplication(
            chain: self.chain, configuration: configuration, metrics: metrics, blobs: blobs, logger: Self.quietLogger,
            onServerRunning: onServerRunning
        )
    }

    /// A transaction carrying `payload`, signed by `key`.
    static func transaction(
        _ payload: Payload, from key: SigningKey = Self.alice, nonce: UInt64, fee: Amount = 1, memo: String = "",
        chainID: String = Self.chainID
    ) throws -> Transaction {
        let body = TransactionBody(chainID: chainID, sender: key.verifyingKey, nonce: nonce, fee: fee, payload: payload, memo: memo)
        return try Transaction(signing: body, with: key)
    }

    /// A transfer of `amount` from Alice to Bob.
    static func transfer(amount: Amount = 250, nonce: UInt64, fee: Amount = 1, memo: String = "") throws -> Transaction {
        try Self.transaction(
            .transfer(to: Self.bob.verifyingKey.address, amount: amount), nonce: nonce, fee: fee, memo: memo
        )
    }

    /// Produces and commits the next block, one second after the previous one.
    @discardableResult
    func produceBlock() async throws -> Block {
        let height = await self.chain.view.height
        let block = try await self.chain.produceBlock(time: Self.genesisTime + 1_000 * (height + 1))
        return try #require(block, "the test validator holds all the power, so it always produces")
    }

    /// Submits `payload` signed by `key` at its account's next nonce, produces a block, and expects it to succeed.
    func commit(_ payload: Payload, from key: SigningKey, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let nonce = await self.chain.view.state.account(key.verifyingKey.address).nonce
        let transaction = try Self.transaction(payload, from: key, nonce: nonce)
        let hash = try await self.chain.submit(encoding: transaction.canonicalEncoding)
        try await self.produceBlock()
        let receipt = try #require(try await self.chain.database.receipt(hash), sourceLocation: sourceLocation)
        #expect(receipt.succeeded, "\(receipt.message)", sourceLocation: sourceLocation)
    }

    /// Waits until the mempool holds `count` transactions: a request being served has admitted its transaction.
    func waitUntilMempoolHolds(_ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while await self.chain.status.mempoolTransactions < count {
            guard ContinuousClock.now < deadline else { throw MempoolWaitTimedOut() }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    private struct MempoolWaitTimedOut: Error {}
}
