// APITypes: the JSON body of every error response.

/// The body of every error response: `{"error": {"code": 1001, "name": "not_found", "message": "…"}}`.
///
/// `code` and `name` are stable and identify the error: ledger refusals keep their frozen ``Ledger/LedgerError/code``
/// (1xx–3xx), errors of the HTTP layer and the node have codes from 1000 up (``APIError/Code``). `message` is a
/// sentence for people; its wording may change.
public struct APIErrorBody: Codable, Sendable, Hashable {
    /// What went wrong.
    public struct Detail: Codable, Sendable, Hashable {
        /// The stable numeric code.
        public var code: UInt16
        /// The stable snake_case name.
        public var name: String
        /// A sentence for people.
        public var message: String

        /// A detail with every field given.
        public init(code: UInt16, name: String, message: String) {
            self.code = code
            self.name = name
            self.message = message
        }
    }

    /// The error.
    public var error: Detail

    /// A body holding `error`.
    public init(error: Detail) {
        self.error = error
    }
}
