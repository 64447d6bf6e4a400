// API: every error becomes a JSON error body; nothing internal leaks.

import APITypes
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Turns whatever a route throws into a JSON error response (``APIErrorBody``) with the right status.
///
/// ``APIError``, `LedgerError` and `ConsensusError` map themselves. Hummingbird's own errors (no route, a body too
/// large) become ``APIError``s. Anything else is an internal failure: it is logged with its details, and the client
/// gets a 500 ``APIError/Code/internalError`` that says nothing of file paths, SQL or types.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = apiError(for: error, request: request, logger: context.logger)
            var response = try apiError.jsonResponse()
            if response.status == .tooManyRequests {
                response.headers[.retryAfter] = String((apiError as? APIError)?.retryAfterSeconds ?? 1)
            }
            return response
        }
    }
}

/// The API error a client sees for `error`, logging `error` first when it is an internal failure.
func apiError(for error: any Error, request: Request, logger: Logger) -> any APIErrorRepresentable {
    switch error {
    case let error as any APIErrorRepresentable:
        return error
    case is NIOTooManyBytesError:
        return APIError.bodyTooLarge
    case let error as HTTPError where error.status == .notFound:
        return APIError(.notFound, "there is no route \(request.method.rawValue) \(request.uri.path)")
    case let error as HTTPError where error.status == .contentTooLarge:
        return APIError.bodyTooLarge
    case let error as HTTPError where error.status.kind == .clientError:
        return APIError(.badBody, error.body ?? error.status.reasonPhrase)
    default:
        logger.info(
            "request failed inside the node",
            metadata: [
                "http.request.method": "\(request.method.rawValue)",
                "http.route": "\(request.uri.path)",
                "error": "\(String(reflecting: error))",
            ]
        )
        return APIError(.internalError, "the node could not complete the request; see its log")
    }
}

extension APIError {
    /// The request body is larger than the configured limit.
    static let bodyTooLarge = APIError(.bodyTooLarge, "the request body is larger than this node accepts")
}
