// `deai serve`: answer predictions from the chain's model versions, paid through payment channels.

import API
import APITypes
import ArgumentParser
import DeAICore
import Foundation
import Ledger
import Logging
import Node
import Participants
import Serving
import ServiceLifecycle
import UnixSignals

/// `deai serve --from KEY [--node URL] [--model TASK.VERSION …] [--file MODEL.safetensors …] [--port P] [--price N] [--bond N]`
///
/// Loads the model versions (by default the latest of every task, unless only files are given) from the chain and
/// the blob exchange — and local model files written by `deai train`, served free under their file name — checks
/// their weights against the registry, bonds `--bond` tokens behind its answers if it has less, and serves
/// `POST /v1/models/{TASK.VERSION}/predict` on the fixed-order path. Each answer carries the server's signed
/// receipt; each paid request a channel voucher (`DeAI-Voucher`). The best vouchers are saved in the home and
/// claimed on chain every `--claim-interval` seconds and on Ctrl-C.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve predictions from the chain's model versions, paid per row through payment channels."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var node: NodeOptions
    @OptionGroup var passphrase: PassphraseOptions

    @Option(help: "Name of the key that bonds, signs the answers' receipts and claims the channels") var from: String
    @Option(help: "A model version to serve, TASK.VERSION (repeat for several; default: the latest of every task)")
    var model: [String] = []
    @Option(help: "A model file written by `deai train` to serve as well, named by its file name; free (repeat for several)")
    var file: [String] = []
    @Option(help: "Address to listen on") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port)") var port: Int = 8_800
    @Option(help: "Tokens per answered row (0: free, no voucher needed)") var price: UInt64 = 1
    @Option(help: "Tokens to keep bonded behind the answers (default: the chain's minimum_server_bond)") var bond: UInt64?
    @Option(help: "Seconds between claims of the channels' best vouchers") var claimInterval: Int = 30
    @Option(help: "Rows' worth of vouchers a channel may run ahead of its last verified one before the next is checked (0: check every voucher)")
    var creditRows: UInt64 = 64
    @Option(help: "Largest request body, in bytes") var maxBodyBytes: Int = 1 << 20

    func validate() throws {
        guard (0...65_535).contains(self.port) else { throw ValidationError("--port must be 0 to 65535") }
        guard self.claimInterval > 0 else { throw ValidationError("--claim-interval must be at least 1") }
        guard self.maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive") }
        if !self.file.isEmpty, self.price > 0 {
            throw ValidationError("a local --file has no model version on chain, so no channel can pay for it: serve it with --price 0")
        }
    }

    func run() async throws {
        _ = Observability.bootstrap(logLevel: .info)
        let logger = Logger(label: "deai.serve")
        let key = try self.global.nodeHome.keystore.signingKey(self.from, passphrase: try self.passphrase.passphrase())
        let client = try self.node.client()
        let status = try await self.node.call { try await $0.status() }
        let account = try HTTPTrainingNetwork(
            nodeURL: self.node.node, key: key, chainID: status.chainID,
            blobDirectory: self.global.nodeHome.path + "/serve/blobs")
        let files = try self.file.map { try ModelLoading.loadFile(($0 as NSString).expandingTildeInPath) }
        let ids = self.model.isEmpty && files.isEmpty
            ? try await self.node.call { try await ModelLoading.latestVersions(from: $0) } : self.model
        guard !ids.isEmpty || !files.isEmpty else {
            throw CLIError("the chain has no model version yet: run a task first (deai devnet --keep-running)")
        }
        let models = try await ModelLoading.load(ids, from: client) + files
        try await self.ensureBond(key.verifyingKey.address, account: account)

        let terms: InferenceService.TermsSource = { id in
            do {
                let channel = try await client.channel(id).channel
                return VoucherBook.Terms(channel: channel, height: try await client.status().height)
            } catch let error as NodeClientError where error.isNotFound {
                return nil
            }
        }
        let book = VoucherBook(
            server: key.verifyingKey.address, chainID: status.chainID, minimumPrice: self.price, creditRows: self.creditRows)
        let held = HeldVouchers(path: self.global.nodeHome.path + "/serve/vouchers-\(status.chainID).json")
        for voucher in try held.load() {
            if let channel = try await terms(voucher.channelID) { book.learn(channel, held: voucher) }
        }
        let service = InferenceService(
            key: key, chainID: status.chainID, models: models, pricePerRow: self.price, book: book, terms: terms)
        let server = key.verifyingKey.address
        let claimer = ChannelClaimer(
            book: book, channels: { VoucherBook.Terms.of(try await client.channels(of: server)) },
            claim: { try await account.send(.claimChannel($0)) }, held: held,
            claimInterval: .seconds(self.claimInterval), logger: logger)
        let served = models.map(\.id).joined(separator: ", ")
        let price = self.price
        let application = makeInferenceApplication(
            provider: service,
            configuration: APIConfiguration(host: self.host, port: self.port, maxBodyBytes: self.maxBodyBytes),
            logger: logger
        ) { port in
            Output.printFlushed(
                "Serving \(served) at http://\(self.host):\(port)/v1/models/{model}/predict as \(key.verifyingKey.address), "
                    + (price == 0 ? "free" : "\(price) per row through payment channels") + " — Ctrl-C to stop.")
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: application, successTerminationBehavior: .gracefullyShutdownGroup,
                          failureTerminationBehavior: .gracefullyShutdownGroup),
                    .init(service: claimer),
                ],
                gracefulShutdownSignals: [.sigint, .sigterm],
                logger: logger))
        try await group.run()
    }

    /// Bonds what the server lacks of `--bond` (or of the chain's minimum).
    private func ensureBond(_ address: Address, account: HTTPTrainingNetwork) async throws {
        let minimum = try await self.node.call { try await $0.parameters().parameters.minimumServerBond }
        let wanted = max(self.bond ?? minimum, minimum)
        let bonded = try await self.node.call { try await $0.server(address) }
        guard !bonded.punished else {
            throw CLIError("\(address) was punished for a forged answer: it can take no channel; serve with another key")
        }
        if bonded.bonded < wanted {
            try await account.send(.bondServer(amount: wanted - bonded.bonded))
            Output.printFlushed("Bonded \(wanted - bonded.bonded) behind the answers (\(wanted) in all).")
        }
    }
}
