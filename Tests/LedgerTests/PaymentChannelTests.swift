// Payment channels: what a client escrows, what a server may claim, and where the claims go.

import DeAICore
import DeAITesting
import Federation
import Ledger
import Testing

/// A task ledger whose round 1 produced model version 1 with real weights, a bonded server (account 9) and a
/// client (account 10).
struct ServingLedger {
    static let server = 9
    static let client = 10
    static let bond: Amount = 5_000

    var setup: TaskLedger
    let weights: [UInt8]

    /// Runs round 1 to a new version whose weights are a seeded model of the fixture's architecture (30 → 2).
    init(trainerScores: [Int64] = [3_000, 2_000, 1_000]) throws {
        var generator = SeededGenerator(seed: 7)
        let parameters = (0..<62).map { _ in Float.random(in: -1...1, using: &generator) }
        self.weights = encodeVector(parameters, as: .float32)
        self.setup = try TaskLedger.withUpdates(spec: TrainingFixtures.servableSpec())
        try self.setup.scoreAll(byPosition: trainerScores)
        let model = SHA256Digest(hashing: self.weights)
        try self.setup.attest([model, model, model])
        #expect(self.setup.ledger.state.modelVersions[1]?[1]?.model == model)
        try self.setup.sendAll([(.bondServer(amount: Self.bond), Self.server)])
    }

    var state: LedgerState { self.setup.ledger.state }
    var height: Height { self.setup.ledger.height }
    var channel: PaymentChannel { self.state.channels[1]! }

    /// Opens channel 1 from the client with `deposit`, expiring `blocks` after the next block.
    mutating func open(deposit: Amount = 10_000, blocks: UInt64 = 20) throws {
        try self.setup.sendAll([
            (.openChannel(
                server: ChainFixtures.address(Self.server), taskID: 1, version: 1, deposit: deposit, pricePerRow: 10,
                expiresAt: self.height + 1 + blocks), Self.client)
        ])
    }

    /// A voucher for `amount` on channel `channel`, signed by test key `signer`.
    func voucher(_ amount: Amount, channel: UInt64 = 1, signer: Int = ServingLedger.client) throws -> ChannelVoucher {
        try ChannelVoucher(channelID: channel, amount: amount, chainID: ChainFixtures.chainID, key: ChainFixtures.key(signer))
    }

    /// Sends one payload and returns its receipt's error code and message.
    mutating func outcome(_ payload: Payload, from index: Int) throws -> (code: UInt16, message: String) {
        let receipt = try self.setup.send(payload, from: index)[0]
        return (receipt.code, receipt.message)
    }
}

@Suite("Payment channels")
struct PaymentChannelTests {
    @Test("a claim pays the server its share and the rest to the version's contributors, in proportion to their training pay")
    func claimSplitsAlongTheLineage() throws {
        var serving = try ServingLedger()
        try serving.open()
        let round = serving.state.rounds[1]![1]!
        let contributors = zip(round.updates, round.verdicts).filter { $0.1.reward > 0 }.map { ($0.0.contributor, $0.1.reward) }
        #expect(contributors.count == 3)
        let before = Dictionary(uniqueKeysWithValues: contributors.map { ($0.0, serving.state.account($0.0).balance) })
        let serverBefore = serving.setup.ledger.balance(ServingLedger.server)

        try serving.setup.sendAll([(.claimChannel(try serving.voucher(1_000)), ServingLedger.server)])

        // 70 % to the server; 300 split by training pay, rounded down, the units left to the largest remainders.
        let totalPay = contributors.reduce(0) { $0 + $1.1 }
        var shared: Amount = 0
        for (address, reward) in contributors {
            let paid = serving.state.account(address).balance - before[address]!
            #expect(paid == 300 * reward / totalPay || paid == 300 * reward / totalPay + 1, "\(paid)")
            #expect(serving.state.inferenceEarnings[InferenceEarningKey(taskID: 1, version: 1, contributor: address)] == paid)
            shared += paid
        }
        #expect(shared == 300)
        let fee: Amount = 1
        #expect(serving.setup.ledger.balance(ServingLedger.server) + fee - serverBefore == 700)
        #expect(serving.channel.claimed == 1_000)
        #expect(serving.setup.supplyAddsUp)

        // A later voucher pays only what it adds.
        try serving.setup.sendAll([(.claimChannel(try serving.voucher(1_500)), ServingLedger.server)])
        #expect(serving.channel.claimed == 1_500)
        #expect(serving.setup.supplyAddsUp)
    }

    @Test("stale, oversized, foreign and forged vouchers are refused and pay nothing")
    func badVouchersRefused() throws {
        var serving = try ServingLedger()
        try serving.open(deposit: 2_000)
        try serving.setup.sendAll([(.claimChannel(try serving.voucher(500)), ServingLedger.server)])
        let cases: [(ChannelVoucher, Int, String)] = [
            (try serving.voucher(500), ServingLedger.server, "already claimed"),
            (try serving.voucher(400), ServingLedger.server, "already claimed"),
            (try serving.voucher(2_001), ServingLedger.server, "the deposit is 2000"),
            (try serving.voucher(900, signer: 3), ServingLedger.server, "not signed by the key that opened"),
            (try serving.voucher(900, channel: 2), ServingLedger.server, "no payment channel 2"),
            (try serving.voucher(900), 3, "only its server"),
        ]
        for (voucher, sender, reason) in cases {
            let (code, message) = try serving.outcome(.claimChannel(voucher), from: sender)
            #expect(code != 0 && message.contains(reason), "\(message)")
        }
        // A voucher signed for another chain does not verify here.
        let foreign = ChannelVoucher(
            channelID: 1, amount: 900,
            signature: try ChainFixtures.key(ServingLedger.client).signature(
                for: ChannelVoucher.signingBytes(chainID: "other-chain", channelID: 1, amount: 900)))
        #expect(try serving.outcome(.claimChannel(foreign), from: ServingLedger.server).code == LedgerError.invalidVoucher(channelID: 1, reason: "").code)
        #expect(serving.channel.claimed == 500)
        #expect(serving.setup.supplyAddsUp)
    }

    @Test("the client takes back what was never claimed once the channel expires, never before; the server cannot claim after")
    func closeAfterExpiry() throws {
        var serving = try ServingLedger()
        try serving.open(deposit: 3_000, blocks: 5)
        try serving.setup.sendAll([(.claimChannel(try serving.voucher(1_000)), ServingLedger.server)])
        let early = try serving.outcome(.closeChannel(channelID: 1), from: ServingLedger.client)
        #expect(early.code == LedgerError.channelRefused(id: 1, reason: "").code && early.message.contains("may claim until"))
        try serving.setup.ledger.emptyBlocks(5)
        let late = try serving.outcome(.claimChannel(try serving.voucher(2_000)), from: ServingLedger.server)
        #expect(late.message.contains("expired"))
        let before = serving.setup.ledger.balance(ServingLedger.client)
        try serving.setup.sendAll([(.closeChannel(channelID: 1), ServingLedger.client)])
        #expect(serving.setup.ledger.balance(ServingLedger.client) + 1 - before == 2_000)
        #expect(serving.channel.closedAt != nil && serving.channel.unclaimed == 0)
        #expect(try serving.outcome(.closeChannel(channelID: 1), from: ServingLedger.client).message.contains("already closed"))
        #expect(serving.setup.supplyAddsUp)
    }

    @Test("channels open only to a bonded server, for a model version the chain holds; only the client funds one")
    func openingRules() throws {
        var serving = try ServingLedger()
        let unbonded = try serving.outcome(
            .openChannel(server: ChainFixtures.address(1), taskID: 1, version: 1, deposit: 100, pricePerRow: 1, expiresAt: 100),
            from: ServingLedger.client)
        #expect(unbonded.code == LedgerError.serverNotBonded(server: ChainFixtures.address(1), bonded: 0, minimum: 0).code)
        let unknown = try serving.outcome(
            .openChannel(server: ChainFixtures.address(9), taskID: 1, version: 2, deposit: 100, pricePerRow: 1, expiresAt: 100),
            from: ServingLedger.client)
        #expect(unknown.code == LedgerError.unknownModelVersion(taskID: 1, version: 2).code)
        try serving.open(deposit: 1_000, blocks: 10)
        let expiry = serving.channel.expiresAt
        #expect(try serving.outcome(.fundChannel(channelID: 1, amount: 10, expiresAt: expiry), from: 3).message.contains("only its client"))
        #expect(try serving.outcome(.fundChannel(channelID: 1, amount: 10, expiresAt: expiry - 1), from: ServingLedger.client)
            .message.contains("cannot move back"))
        try serving.setup.sendAll([(.fundChannel(channelID: 1, amount: 500, expiresAt: expiry + 10), ServingLedger.client)])
        #expect(serving.channel.deposit == 1_500 && serving.channel.expiresAt == expiry + 10)
        #expect(serving.setup.supplyAddsUp)
    }

    @Test("a server's unbonding returns after the unbonding period and leaves it unable to take channels")
    func unbondingReturns() throws {
        var serving = try ServingLedger()
        let before = serving.setup.ledger.balance(ServingLedger.server)
        try serving.setup.sendAll([(.unbondServer(amount: ServingLedger.bond), ServingLedger.server)])
        #expect(serving.state.serverBonds[ChainFixtures.address(ServingLedger.server)]?.unbonding == ServingLedger.bond)
        #expect(try serving.outcome(
            .openChannel(server: ChainFixtures.address(9), taskID: 1, version: 1, deposit: 100, pricePerRow: 1, expiresAt: 500),
            from: ServingLedger.client).message.contains("bonded behind its answers"))
        try serving.setup.ledger.emptyBlocks(Int(serving.state.parameters.unbondingPeriod))
        #expect(serving.setup.ledger.balance(ServingLedger.server) + 1 == before + ServingLedger.bond)
        #expect(serving.setup.supplyAddsUp)
    }
}
