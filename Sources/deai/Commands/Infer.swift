// `deai infer`: ask an inference server for predictions, paying through a channel it opens or reuses.

import APITypes
import ArgumentParser
import DeAICore
import Foundation
import Learning
import Ledger
import Node
import Participants
import Serving

/// `deai infer --from KEY --data FILE.csv [--model TASK.VERSION] [--server URL] [--node URL] [--target COL]`
///
/// Reads the rows (every column but `--target`, one number per feature), asks the server what it charges, reuses an
/// open channel of the key to that server and model with enough deposit left — or opens one (`--deposit`,
/// `--blocks`) — and sends the rows in batches of `--batch`, each with a voucher for the cumulative amount. The
/// amount signed last is kept in the home, so a rerun resumes above it. Prints one prediction per row and what
/// was paid. With `--verify`, every answer is re-executed and a forged one proven on chain (``AnswerVerifier``).
struct InferCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Get predictions from an inference server (`deai serve`), paying through a payment channel."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var node: NodeOptions
    @OptionGroup var passphrase: PassphraseOptions

    @Option(help: "Name of the key that opens the channel and signs the vouchers") var from: String
    @Option(help: "The model version, TASK.VERSION (default: the first the server serves)") var model: String?
    @Option(help: "CSV with a header row: one numeric column per feature ('-' reads standard input)") var data: String
    @Option(help: "A column of --data to leave out (the label, say)") var target: String?
    @Option(help: "URL of the inference server") var server: String = "http://127.0.0.1:8800"
    @Option(help: "Deposit of a new channel (default: 1000 rows' worth, or the rows' if more)") var deposit: UInt64?
    @Option(help: "Blocks a new channel stays claimable") var blocks: UInt64 = 3_600
    @Option(help: "Rows per request") var batch: Int = 16
    @Flag(help: "Re-execute every answer on the fixed-order path and prove a forged one on chain (slashing the server)")
    var verify = false

    func validate() throws {
        if let model = self.model, LoadedModel.parse(model) == nil {
            throw ValidationError("--model is TASK.VERSION, such as 1.3")
        }
        guard (1...InferenceRows.maxRows).contains(self.batch) else {
            throw ValidationError("--batch must be 1 to \(InferenceRows.maxRows)")
        }
        guard self.blocks > 0 else { throw ValidationError("--blocks must be at least 1") }
    }

    func run() async throws {
        let key = try self.global.nodeHome.keystore.signingKey(self.from, passphrase: try self.passphrase.passphrase())
        let server = try NodeClient(baseURL: self.server)
        let catalog: ServedModelsView
        do { catalog = try await server.servedModels() } catch { throw CLIError(error) }
        guard let entry = catalog.models.first(where: { self.model == nil || $0.id == self.model }) else {
            let served = catalog.models.map(\.id).joined(separator: ", ")
            throw CLIError("the server does not serve model \(self.model ?? "any"); it serves \(served.isEmpty ? "none" : served)")
        }
        let rows = try InferRows.read(self.data, leavingOut: self.target, width: entry.rowWidth)
        var payer: ChannelPayer?
        if catalog.pricePerRow > 0 {
            payer = try await ChannelPayer.open(
                for: catalog, model: entry, rows: rows.values.count, key: key, options: self)
        }
        var answers: [PredictResponse] = []
        var batches: [[[Double]]] = []
        var paid: Amount = 0
        for start in stride(from: 0, to: rows.values.count, by: self.batch) {
            let batch = Array(rows.values[start..<min(start + self.batch, rows.values.count)])
            let answer = try await self.ask(server, model: entry.id, batch, payer: &payer, price: catalog.pricePerRow)
            paid += answer.charged
            answers.append(answer)
            batches.append(batch)
        }
        var result = InferResult(model: entry.id, lines: rows.lines, answers: answers, channel: payer?.channelID, paid: paid)
        if self.verify {
            result.verification = try await AnswerVerifier(node: self.node, key: key, home: self.global.nodeHome.path)
                .verify(answers, batches: batches, model: entry.id, catalog: catalog)
        }
        if self.global.json { try Output.printJSON(result, snakeCase: true) } else { result.printForPeople() }
    }

    /// One request, paid with the next voucher; a voucher the server holds already is skipped once.
    private func ask(
        _ server: NodeClient, model: String, _ rows: [[Double]], payer: inout ChannelPayer?, price: Amount
    ) async throws -> PredictResponse {
        for attempt in 0..<2 {
            let voucher = try payer?.nextVoucher(rows: rows.count, price: price)
            let answer: PredictResponse
            do {
                answer = try await server.predict(model: model, rows: rows, voucher: voucher)
            } catch .apiError(_, _, _, let name, let message) where name == "payment_required" {
                // A voucher the server holds already (the client's record was lost): resume above what it holds.
                guard attempt == 0, message.contains("used before or is stale"), let id = payer?.channelID,
                    let covered = try? await server.covered(channel: id)
                else { throw CLIError("the server refused payment: \(message)") }
                payer?.resume(above: covered)
                continue
            } catch {
                throw CLIError(error)
            }
            try payer?.confirm()
            return answer
        }
        throw CLIError("the server refused the voucher twice")
    }
}
