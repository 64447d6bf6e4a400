// ServingTests: a model version of the test task, a channel, and an inference service over them.

import APITypes
import DeAICore
import DeAITesting
import Federation
import Ledger
import Serving

/// Test account 9 serves version 1 of task 1 (the fixture's 30 → 2 model, seeded weights); account 0 is a client
/// with channel 1 of 10,000 tokens at 2 per row.
enum ServingFixtures {
    static let server = ChainFixtures.key(9)
    static let client = ChainFixtures.key(0)
    static let price: Amount = 2

    static let weights: [UInt8] = {
        var generator = SeededGenerator(seed: 11)
        return encodeVector((0..<62).map { _ in Float.random(in: -1...1, using: &generator) }, as: .float32)
    }()

    static func model() throws -> LoadedModel {
        let hash = SHA256Digest(hashing: self.weights)
        let served = try ServedModel(task: TrainingFixtures.servableSpec(), modelBlob: self.weights, expectedModel: hash, schemaBlob: [])
        return LoadedModel(taskID: 1, version: 1, model: hash, served: served)
    }

    static func channel(id: UInt64 = 1, server: Address = ServingFixtures.server.verifyingKey.address, deposit: Amount = 10_000) -> PaymentChannel {
        PaymentChannel(
            id: id, client: self.client.verifyingKey.address, clientKey: self.client.verifyingKey, server: server,
            taskID: 1, version: 1, deposit: deposit, claimed: 0, pricePerRow: self.price, expiresAt: 1_000, closedAt: nil)
    }

    /// A voucher of the client for `amount` on channel `channel`.
    static func voucher(_ amount: Amount, channel: UInt64 = 1, key: SigningKey = ServingFixtures.client) throws -> ChannelVoucher {
        try ChannelVoucher(channelID: channel, amount: amount, chainID: ChainFixtures.chainID, key: key)
    }

    static func book() -> VoucherBook {
        VoucherBook(server: self.server.verifyingKey.address, chainID: ChainFixtures.chainID, minimumPrice: self.price, creditRows: 4)
    }

    /// A service charging `price` per row whose chain holds `channels` at height 10.
    static func service(price: Amount = ServingFixtures.price, channels: [PaymentChannel] = [ServingFixtures.channel()], book: VoucherBook? = nil)
        throws -> InferenceService
    {
        let known = Dictionary(uniqueKeysWithValues: channels.map { ($0.id, $0) })
        return InferenceService(
            key: self.server, chainID: ChainFixtures.chainID, models: [try self.model()], pricePerRow: price,
            book: book ?? self.book(), terms: { id in known[id].map { VoucherBook.Terms(channel: $0, height: 10) } })
    }

    /// One row of 30 features.
    static let row: [Double] = (0..<30).map { Double($0) / 10 }
}
