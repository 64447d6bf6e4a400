// The server side of `deai bench serve`: the digits MLP served in this process, free or paid, and the vouchers.

import API
import APITypes
import DeAICore
import DeAITesting
import Dispatch
import Federation
import Foundation
import Learning
import Ledger
import Logging
import Serving
import ServiceLifecycle
import Synchronization

/// Our side of `deai bench serve`: ``Serving/InferenceService`` behind `makeInferenceApplication`, as `deai serve`
/// runs it, on `127.0.0.1` (port 0), answering with the digits MLP 64-128-128-10 of `torch_serve.py` (seeded random
/// weights, float32, no table schema: the cost of an answer does not depend on the weights).
///
/// No chain is in the loop. A paid server learns its one channel — a synthetic ``Ledger/PaymentChannel`` from a
/// client key of this process to the server, for the model, at 1 token per row — from the terms closure, once, as
/// `deai serve` reads a channel from its node once; after that no request touches a chain, here or in `deai serve`.
struct ServeBenchServer: Sendable {
    static let chainID = "deai-bench-serve"

    /// The model version served, task 1 version 1.
    let model: LoadedModel
    /// The server's key: it signs every answer's receipt.
    let serverKey = SigningKey()
    /// The client's key: it opened the channel and signs the vouchers.
    let clientKey = SigningKey()

    /// The digits MLP with the weights of `Model(spec:seed: 0)`.
    init() throws {
        let spec = try ModelSpec.builtin("mlp", features: 64, classes: 10)
        let weights = encodeVector(try Model(spec: spec, seed: 0).flatParameters, as: .float32)
        var task = TrainingFixtures.spec()
        task.modelSpec = String(decoding: try JSONEncoder().encode(spec), as: UTF8.self)
        let hash = SHA256Digest(hashing: weights)
        let served = try ServedModel(task: task, modelBlob: weights, expectedModel: hash, schemaBlob: [])
        self.model = LoadedModel(taskID: 1, version: 1, model: hash, served: served)
    }

    /// The channel paying the server: open, far from its expiry, with a deposit no run exhausts.
    var channel: PaymentChannel {
        PaymentChannel(
            id: 1, client: self.clientKey.verifyingKey.address, clientKey: self.clientKey.verifyingKey,
            server: self.serverKey.verifyingKey.address, taskID: self.model.taskID, version: self.model.version,
            deposit: 1 << 40, claimed: 0, pricePerRow: 1, expiresAt: 1_000_000, closedAt: nil)
    }

    /// Runs the server at `price` tokens per row (0: free) while `body` loads it, then stops it.
    /// - Parameter body: given the predict route's URL.
    func serve<Result: Sendable>(
        price: Amount, _ body: @Sendable (String) async throws -> Result
    ) async throws -> Result {
        var logger = Logger(label: "deai.bench.serve")
        logger.logLevel = .warning
        let channel = self.channel
        let service = InferenceService(
            key: self.serverKey, chainID: Self.chainID, models: [self.model], pricePerRow: price,
            book: VoucherBook(server: channel.server, chainID: Self.chainID, minimumPrice: price),
            terms: { id in id == channel.id ? VoucherBook.Terms(channel: channel, height: 1) : nil })
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let application = makeInferenceApplication(
            provider: service, configuration: APIConfiguration(host: "127.0.0.1", port: 0), logger: logger
        ) { listening.yield($0) }
        let group = ServiceGroup(services: [application], logger: logger)
        let path = "/v1/models/\(self.model.id)/predict"
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { listening.finish() }
                try await group.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CLIError("the inference server did not start") }
            do {
                let result = try await body("http://127.0.0.1:\(port)\(path)")
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
        }
    }

    /// Signs vouchers of the channel's client for the amounts `amounts` and writes them as `DeAI-Voucher` header
    /// values, one a line, dealt to `files` files in turn: file k (from 0) holds amounts a+k, a+k+`files`, … (a the
    /// lowest) in increasing order, so that readers of different files never send the same amount.
    /// - Returns: the files' paths, in order.
    func writeVouchers(_ amounts: ClosedRange<UInt64>, files: Int, directory: String) throws -> [String] {
        let paths = (0..<files).map { "\(directory)/vouchers-\(amounts.lowerBound)-\($0).txt" }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: files) { file in
            do {
                var text = ""
                text.reserveCapacity((amounts.count / files + 1) * 150)
                for amount in stride(from: amounts.lowerBound + UInt64(file), through: amounts.upperBound, by: files) {
                    let voucher = try ChannelVoucher(
                        channelID: 1, amount: amount, chainID: Self.chainID, key: self.clientKey)
                    text += VoucherHeader.value(of: voucher)
                    text += "\n"
                }
                try text.write(toFile: paths[file], atomically: false, encoding: .utf8)
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        if let failure = failures.withLock({ $0.first }) { throw CLIError("cannot write the vouchers: \(failure)") }
        return paths
    }
}
