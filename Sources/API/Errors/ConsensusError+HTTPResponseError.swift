// API: the node's own refusals (a full mempool, a duplicate) as HTTP responses.

import APITypes
public import Consensus
public import HTTPTypes
public import Hummingbird

extension ConsensusError: HTTPResponseError, APIErrorRepresentable {
    /// The API error a client sees: the message of a refusal, a generic one for internal failures.
    var apiError: APIError {
        switch self {
        case .mempoolFull: APIError(.mempoolFull, self.description)
        case .duplicateTransaction: APIError(.duplicateTransaction, self.description)
        case .halted, .wouldDoubleSign:
            APIError(.unavailable, "the node has stopped producing blocks; its operator must restart it")
        case .foreignChain, .corruptState, .databaseBehindSignatures, .corruptHistory, .olderChainFormat, .validatorKeyChanged:
            APIError(.internalError, "the node's database is not usable")
        }
    }

    /// 503 for a full mempool or a halted node, 409 for a duplicate, 500 otherwise.
    public var status: HTTPResponse.Status { self.apiError.status }

    var errorDetail: APIErrorBody.Detail { self.apiError.errorDetail }

    /// The JSON error response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try self.jsonResponse()
    }
}
