// API: what an inference server's routes ask of the service behind them.

public import APITypes

/// The service behind an inference server's routes (`deai serve`): the models it answers with, and the answers.
///
/// Errors it throws are ``APIError``s (a 402 ``APIError/Code/paymentRequired`` for payment, 400 for rows that do
/// not fit, 404 for a model it does not serve), turned into JSON error bodies by the routes.
public protocol PredictionProvider: Sendable {
    /// What the server offers.
    func catalog() -> ServedModelsView
    /// Answers `rows` with model `model` (`TASK.VERSION`), paid by the `DeAI-Voucher` header value `voucher`.
    func predict(model: String, rows: [[Double]], voucher: Substring?) async throws -> PredictResponse
    /// The best cumulative amount the server holds on channel `id` (a client resumes above it), or `nil` when it
    /// knows no such channel.
    func covered(channel id: UInt64) -> UInt64?
}
