// A devnet's model served and paid for over real sockets: vouchers, claims, lineage revenue, a forged answer slashed.

import API
import APITypes
import DeAICore
import Devnet
import Foundation
import Ledger
import Logging
import Node
import Participants
import Serving
import ServiceLifecycle
import Testing

@Suite("Paid inference on a devnet", .serialized)
struct PaidInferenceRunTests {
    @Test("a client pays a server through a channel; the claim pays the server and the contributors; a forged answer is slashed and the client takes its deposit back")
    func servePayClaimAndSlash() async throws {
        let outcome = PaidInferenceOutcome()
        _ = try await runDevnet({
            $0.participants = 4
            $0.malicious = 0
            $0.rounds = 2
        }, whileUpIn: { url, directory in
            do {
                try await PaidInferenceScenario(nodeURL: url, directory: directory).run(recording: outcome)
            } catch {
                await outcome.fail("\(error)")
            }
        })
        let result = await outcome.result
        #expect(result.failure == nil, "\(result.failure ?? "")")
        #expect(result.answers == 3)
        #expect(result.receiptsVerified)
        #expect(result.claimed == 6)
        // 6 × 70 % = 4 to the server, rounded down; the other 2 to the contributors, however small their shares.
        #expect(result.contributorEarnings == 2, "\(result.contributorEarnings)")
        #expect(result.receiptShowsEarnings)
        #expect(result.serverPunished && result.serverBondAfter == 0)
        #expect(result.refund == 994)
    }
}

/// What the scenario saw.
struct PaidInferenceResult: Sendable {
    var failure: String?
    var answers = 0
    var receiptsVerified = false
    var claimed: UInt64 = 0
    var contributorEarnings: UInt64 = 0
    var receiptShowsEarnings = false
    var serverPunished = false
    var serverBondAfter: UInt64 = 0
    var refund: UInt64 = 0
}

actor PaidInferenceOutcome {
    private(set) var result = PaidInferenceResult()

    func fail(_ reason: String) { self.result.failure = reason }
    func update(_ change: (inout PaidInferenceResult) -> Void) { change(&self.result) }
}

/// The steps, against a running devnet: the kit's server bonds and serves the latest version over HTTP; the kit's
/// client opens a channel and pays three answers (2 tokens each); the server claims; then the client proves a
/// forged receipt and closes its channel at once.
struct PaidInferenceScenario {
    let nodeURL: String
    let directory: String

    func run(recording outcome: PaidInferenceOutcome) async throws {
        let node = try NodeClient(baseURL: self.nodeURL)
        let chainID = try await node.status().chainID
        let keystore = NodeHome(path: ServingKit.home(in: self.directory)).keystore
        let serverKey = try keystore.signingKey("server", passphrase: nil)
        let clientKey = try keystore.signingKey("client", passphrase: nil)
        let server = try HTTPTrainingNetwork(nodeURL: self.nodeURL, key: serverKey, chainID: chainID, blobDirectory: self.directory + "/server-blobs")
        let client = try HTTPTrainingNetwork(nodeURL: self.nodeURL, key: clientKey, chainID: chainID, blobDirectory: self.directory + "/client-blobs")

        try await server.send(.bondServer(amount: try await node.parameters().parameters.minimumServerBond))
        let model = try #require(try await ModelLoading.load(try await ModelLoading.latestVersions(from: node), from: node).first)
        let height = try await node.status().height
        try await client.send(
            .openChannel(
                server: serverKey.verifyingKey.address, taskID: model.taskID, version: model.version, deposit: 1_000,
                pricePerRow: 2, expiresAt: height + 500))
        let channel = try #require(try await node.channels(of: clientKey.verifyingKey.address).channels.last)

        let terms: InferenceService.TermsSource = { id in
            VoucherBook.Terms(channel: try await node.channel(id).channel, height: try await node.status().height)
        }
        let book = VoucherBook(server: serverKey.verifyingKey.address, chainID: chainID, minimumPrice: 2)
        let service = InferenceService(key: serverKey, chainID: chainID, models: [model], pricePerRow: 2, book: book, terms: terms)
        let rows = try Self.testRows(in: self.directory, count: 3)
        try await Self.serving(service) { serveURL in
            let inference = try NodeClient(baseURL: serveURL)
            var verified = true
            for (index, row) in rows.enumerated() {
                let voucher = try ChannelVoucher(channelID: channel.id, amount: UInt64(2 * (index + 1)), chainID: chainID, key: clientKey)
                let answer = try await inference.predict(model: model.id, rows: [row], voucher: voucher)
                let receipt = answer.receipt.receipt
                let truth = try model.served.answer([row]).outputHash
                verified = verified && receipt.isSigned(chainID: chainID) && receipt.output == truth
                    && receipt.input == AnswerReceipt.inputHash(rows: [row])
            }
            await outcome.update { $0.answers = rows.count; $0.receiptsVerified = verified }
        }

        let serverAddress = serverKey.verifyingKey.address
        let claimer = ChannelClaimer(
            book: book, channels: { VoucherBook.Terms.of(try await node.channels(of: serverAddress)) },
            claim: { try await server.send(.claimChannel($0)) },
            held: HeldVouchers(path: self.directory + "/held.json"), claimInterval: .seconds(60), logger: Logger(label: "claims"))
        await claimer.claimOnce()
        let claimed = try await node.channel(channel.id).claimed
        // The lineage: every version up to the one served shares the claim; each contributor's round receipt shows
        // what its version earned it.
        var contributors: Set<Address> = []
        var rounds: [UInt32: UInt32] = [:]
        for version in try await node.modelVersions(task: model.taskID).versions where version.version <= model.version {
            contributors.formUnion(version.contributors)
            rounds[version.version] = version.round
        }
        var earnings: UInt64 = 0
        var receiptShows = true
        for contributor in contributors.sorted() {
            let earned = try await node.inferenceEarnings(of: contributor)
            earnings += earned.total
            for entry in earned.earnings {
                let receipt = try await node.get(
                    "/v1/tasks/\(model.taskID)/rounds/\(rounds[entry.version] ?? 0)/receipts/\(contributor)", as: RoundReceiptView.self)
                receiptShows = receiptShows && receipt.contributor?.inferenceEarnings == entry.amount
            }
        }
        await outcome.update { $0.claimed = claimed; $0.contributorEarnings = earnings; $0.receiptShowsEarnings = receiptShows }

        // The server signs an answer it did not compute; whoever holds the row proves it.
        let forged = try AnswerReceipt(
            signedBy: serverKey, chainID: chainID, taskID: model.taskID, version: model.version, model: model.model,
            input: AnswerReceipt.inputHash(rows: [rows[0]]), output: SHA256Digest(hashing: Array("made up".utf8)))
        try await client.send(
            .reportForgedAnswer(
                ForgeryEvidence(receipt: forged, inputs: InferenceRows([rows[0]]), modelBlob: try await node.getBlob(model.model), schemaBlob: [])))
        let bond = try await node.server(serverKey.verifyingKey.address)
        let before = try await node.account(clientKey.verifyingKey.address).balance
        try await client.send(.closeChannel(channelID: channel.id))
        let after = try await node.account(clientKey.verifyingKey.address).balance
        await outcome.update {
            $0.serverPunished = bond.punished
            $0.serverBondAfter = bond.bonded
            $0.refund = after + 1 - before
        }
    }

    /// The first `count` rows of the kit's test rows, without the label.
    static func testRows(in directory: String, count: Int) throws -> [[Double]] {
        let text = try String(contentsOfFile: ServingKit.rows(in: directory), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().prefix(count).map { line in
            line.split(separator: ",").dropLast().map { Double($0)! }
        }
    }

    /// Runs `body` while `service` answers on a loopback port, then stops the server.
    static func serving(_ service: InferenceService, _ body: (String) async throws -> Void) async throws {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let application = makeInferenceApplication(
            provider: service, configuration: APIConfiguration(port: 0), logger: Logger(label: "serve")
        ) { port in continuation.yield(port) }
        let running = Task { try await application.run() }
        defer { running.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        try await body("http://127.0.0.1:\(port)")
    }
}
