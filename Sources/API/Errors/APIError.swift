// API: errors of the HTTP layer and of the node, with stable codes.

import APITypes
public import HTTPTypes
public import Hummingbird

/// An error raised by the HTTP layer or the node rather than by the ledger's rules: an unknown resource, a bad
/// path, query or body, a body too large, a full mempool.
///
/// Its JSON body is an ``APIErrorBody``. Codes and names are stable: never renumber; only append.
public struct APIError: Error, Sendable, Hashable {
    /// The kinds of API errors, with their frozen codes (1000 and up, apart from the ledger's 1xx–3xx).
    public enum Code: UInt16, Sendable, Hashable, CaseIterable {
        /// No such route, block, transaction, proposal, …: 404.
        case notFound = 1001
        /// A path parameter is not a height, hash, address or identifier: 400.
        case badPath = 1002
        /// A query parameter has a bad value: 400.
        case badQuery = 1003
        /// The body is not the JSON the route expects, or a transaction is not hex: 400.
        case badBody = 1004
        /// The body is larger than ``APIConfiguration/maxBodyBytes``: 413.
        case bodyTooLarge = 1005
        /// The address asked about took no part in the training round (a receipt): 404.
        case notInRound = 1006
        /// The path exists but not for this method; the `Allow` header lists those it serves: 405.
        case methodNotAllowed = 1007
        /// A blob the chain does not name, uploaded without a valid signature of an account holding stake
        /// (``APITypes/BlobUploadSignature``): 403.
        case uploadNotAllowed = 1008
        /// The mempool is at its transaction or byte limit; retry later: 503.
        case mempoolFull = 1101
        /// The same transaction is already waiting in the mempool: 409.
        case duplicateTransaction = 1102
        /// The node cannot serve the request now (for example, block production halted): 503.
        case unavailable = 1103
        /// Too many requests are waiting (long-polls, submissions waiting for receipts); retry after the
        /// `Retry-After` seconds: 429.
        case tooManyWaiting = 1104
        /// The uploader's blobs that the chain does not name yet fill its quota
        /// (``APITypes/BlobPolicy/quotaBytesPerAccount``); retry after the `Retry-After` seconds, when the oldest
        /// is named or collected: 429.
        case blobQuotaExceeded = 1105
        /// The blob store holds ``APITypes/BlobPolicy/maxTotalBytes``: 507.
        case storageFull = 1106
        /// The node holds ``APITypes/APIConfiguration/maxConnections`` API connections, or
        /// ``APITypes/APIConfiguration/maxConnectionsPerClient`` from the client's address; the connection is
        /// answered and closed: 429.
        case tooManyConnections = 1107
        /// A paid inference request carries no voucher, or one that does not pay for it (the message says why):
        /// 402.
        case paymentRequired = 1108
        /// An unexpected failure inside the node; details are in the node's log, not in the response: 500.
        case internalError = 1500

        /// The stable snake_case name.
        public var name: String {
            switch self {
            case .notFound: "not_found"
            case .badPath: "bad_path"
            case .badQuery: "bad_query"
            case .badBody: "bad_body"
            case .bodyTooLarge: "body_too_large"
            case .notInRound: "not_in_round"
            case .methodNotAllowed: "method_not_allowed"
            case .uploadNotAllowed: "upload_not_allowed"
            case .mempoolFull: "mempool_full"
            case .duplicateTransaction: "duplicate_transaction"
            case .unavailable: "unavailable"
            case .tooManyWaiting: "too_many_waiting"
            case .blobQuotaExceeded: "blob_quota_exceeded"
            case .storageFull: "storage_full"
            case .tooManyConnections: "too_many_connections"
            case .paymentRequired: "payment_required"
            case .internalError: "internal_error"
            }
        }

        /// The HTTP status of responses with this code.
        public var status: HTTPResponse.Status {
            switch self {
            case .notFound, .notInRound: .notFound
            case .methodNotAllowed: .methodNotAllowed
            case .badPath, .badQuery, .badBody: .badRequest
            case .bodyTooLarge: .contentTooLarge
            case .mempoolFull, .unavailable: .serviceUnavailable
            case .duplicateTransaction: .conflict
            case .tooManyWaiting, .blobQuotaExceeded, .tooManyConnections: .tooManyRequests
            case .uploadNotAllowed: .forbidden
            case .paymentRequired: HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")
            case .storageFull: HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
            case .internalError: .internalServerError
            }
        }
    }

    /// What kind of error.
    public var code: Code
    /// A sentence for people; it never holds internal details such as file paths or SQL.
    public var message: String
    /// For a 429, the seconds after which a retry may succeed (the `Retry-After` header); 1 when `nil`.
    public var retryAfterSeconds: Int?

    /// An error of kind `code`, explained by `message`.
    public init(_ code: Code, _ message: String, retryAfterSeconds: Int? = nil) {
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }
}

// MARK: - HTTPResponseError

extension APIError: HTTPResponseError, APIErrorRepresentable {
    /// The status of ``code``.
    public var status: HTTPResponse.Status { self.code.status }

    var errorDetail: APIErrorBody.Detail {
        APIErrorBody.Detail(code: self.code.rawValue, name: self.code.name, message: self.message)
    }

    /// The JSON error response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try self.jsonResponse()
    }
}

// MARK: - Shared plumbing

/// An error with a status and a JSON error body: ``APIError``, `LedgerError` and `ConsensusError`.
protocol APIErrorRepresentable: Error {
    /// The HTTP status of the response.
    var status: HTTPResponse.Status { get }
    /// The body's `error` object.
    var errorDetail: APIErrorBody.Detail { get }
}

extension APIErrorRepresentable {
    /// The error as a JSON response.
    func jsonResponse() throws -> Response {
        try JSONResponse.make(APIErrorBody(error: self.errorDetail), status: self.status)
    }
}
