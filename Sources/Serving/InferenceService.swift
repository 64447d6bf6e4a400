// The answers of an inference server: models on the fixed-order path, paid through channel vouchers, signed.

public import API
public import APITypes
public import DeAICore
import Learning
public import Ledger

/// What `deai serve` runs behind its routes: a set of loaded model versions answering on the fixed-order path,
/// each answer paid through a channel voucher (``VoucherBook``) when the server charges, and signed with the
/// server's key (``Ledger/AnswerReceipt``), so anyone holding the input can re-check it.
public final class InferenceService: PredictionProvider {
    /// Reads a channel's terms from the chain; `nil` when it has no such channel.
    public typealias TermsSource = @Sendable (UInt64) async throws -> VoucherBook.Terms?

    private let key: SigningKey
    private let chainID: String
    private let models: [String: LoadedModel]
    private let pricePerRow: Amount
    private let book: VoucherBook
    private let terms: TermsSource

    /// A service answering with `models`, signing with `key` on chain `chainID`, charging `pricePerRow` tokens per
    /// row (0: free) through `book`, which learns channels from `terms`.
    public init(
        key: SigningKey, chainID: String, models: [LoadedModel], pricePerRow: Amount, book: VoucherBook,
        terms: @escaping TermsSource
    ) {
        self.key = key
        self.chainID = chainID
        self.models = Dictionary(models.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.pricePerRow = pricePerRow
        self.book = book
        self.terms = terms
    }

    public func catalog() -> ServedModelsView {
        ServedModelsView(
            server: self.key.verifyingKey.address, chainID: self.chainID, pricePerRow: self.pricePerRow,
            models: self.models.values.sorted { ($0.taskID, $0.version) < ($1.taskID, $1.version) }.map {
                ServedModelsView.Entry(
                    id: $0.id, taskID: $0.taskID, version: $0.version, model: $0.model, rowWidth: $0.served.rowWidth,
                    labels: $0.served.classNames)
            })
    }

    public func covered(channel id: UInt64) -> UInt64? { self.book.covered(channel: id) }

    public func predict(model id: String, rows: [[Double]], voucher header: Substring?) async throws -> PredictResponse {
        guard let model = self.models[id] else {
            let served = self.models.keys.sorted().joined(separator: ", ")
            throw APIError(.notFound, "this server does not serve model \(id); it serves \(served.isEmpty ? "none" : served)")
        }
        guard !rows.isEmpty, rows.count <= InferenceRows.maxRows else {
            throw APIError(.badBody, "inputs must hold 1 to \(InferenceRows.maxRows) rows; it holds \(rows.count)")
        }
        let answer = try await Self.answer(rows, with: model.served)
        let (charged, channel) = try await self.charge(for: rows.count, of: model, voucher: header)
        let receipt = try AnswerReceipt(
            signedBy: self.key, chainID: self.chainID, taskID: model.taskID, version: model.version, model: model.model,
            input: AnswerReceipt.inputHash(rows: rows), output: answer.outputHash)
        let labels = model.served.classNames.map { names in answer.classes.map { $0 < names.count ? names[$0] : String($0) } }
        return PredictResponse(
            model: id, classes: answer.classes, labels: labels, probabilities: answer.probabilities,
            receipt: AnswerReceiptView(receipt), charged: charged, channelID: channel)
    }

    /// Multiply-adds an answer may cost and still run where its request arrived: on its connection's event loop
    /// (``API/makeInferenceApplication(provider:configuration:logger:onServerRunning:)``), about 50 µs. A longer one runs
    /// on Swift's global executor, so that one large batch never holds up the loop's other connections.
    static let onLoopWork = 500_000

    /// The answer of `served` to `rows`, computed on or off the event loop according to its cost.
    /// - Throws: ``API/APIError/Code/badBody`` naming the row that cannot be answered.
    private static func answer(_ rows: [[Double]], with served: ServedModel) async throws -> ServedModel.Answer {
        func compute() throws -> ServedModel.Answer {
            do {
                return try served.answer(rows)
            } catch {
                throw APIError(.badBody, "\(error)")
            }
        }
        guard rows.count * served.network.multiplyAddsPerRow > Self.onLoopWork else { return try compute() }
        return try await withTaskExecutorPreference(globalConcurrentExecutor) { try compute() }
    }

    /// Takes the payment for `rows` rows from the voucher in `header`: what was charged and the channel, or
    /// `(0, nil)` when the server is free.
    /// - Throws: ``API/APIError/Code/paymentRequired`` with the ``PaymentRefusal``.
    private func charge(for rows: Int, of model: LoadedModel, voucher header: Substring?) async throws -> (Amount, UInt64?) {
        guard self.pricePerRow > 0 else { return (0, nil) }
        guard let header, let voucher = VoucherHeader.voucher(in: header) else {
            throw Self.refusal(.missingVoucher(price: self.pricePerRow))
        }
        let charge = VoucherBook.Charge(voucher: voucher, taskID: model.taskID, version: model.version, rows: rows)
        var verified = false
        while true {
            switch self.book.admit(charge, verified: verified) {
            case .accepted(let charged):
                return (charged, voucher.channelID)
            case .refused(let refusal):
                throw Self.refusal(refusal)
            case .needsVerification:
                guard self.book.isSigned(voucher) == true else {
                    self.book.refuse(channel: voucher.channelID)
                    throw Self.refusal(.badSignature(channel: voucher.channelID))
                }
                verified = true
            case .needsTerms:
                guard let terms = try await self.terms(voucher.channelID) else {
                    throw Self.refusal(.unknownChannel(voucher.channelID))
                }
                self.book.learn(terms)
            }
        }
    }

    private static func refusal(_ refusal: PaymentRefusal) -> APIError {
        APIError(.paymentRequired, refusal.description)
    }
}
