// API: ledger refusals as HTTP responses. The ledger knows nothing of HTTP; the mapping lives here, at the edge.

import APITypes
public import HTTPTypes
public import Hummingbird
public import Ledger

extension LedgerError: HTTPResponseError, APIErrorRepresentable {
    /// The HTTP status of the refusal.
    ///
    /// - 400: a malformed transaction, a wrong chain ID, an invalid signature, a memo too long, a nonce ahead of
    ///   the account's next one, a fee below the minimum, a sender that cannot pay the fee, and payload failures.
    ///   Insufficient funds are a 400, not a 402 (which HTTP reserves and proxies treat unevenly): clients tell them
    ///   apart by ``code`` and ``name``;
    /// - 404: an unknown proposal or validator;
    /// - 409: a nonce already used, a replay;
    /// - 413: a transaction larger than the chain's `max_transaction_bytes`;
    /// - 500: proof and block errors (3xx), which only an inconsistent node can raise while serving a request.
    public var status: HTTPResponse.Status {
        switch self {
        case .transactionTooLarge: .contentTooLarge
        case .nonceAlreadyUsed: .conflict
        case .unknownProposal, .unknownValidator: .notFound
        case .invalidProof, .invalidBlock: .internalServerError
        default: .badRequest
        }
    }

    var errorDetail: APIErrorBody.Detail {
        APIErrorBody.Detail(code: self.code, name: self.name, message: self.description)
    }

    /// The JSON error response, with the frozen ``code`` and ``name``.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try self.jsonResponse()
    }
}
