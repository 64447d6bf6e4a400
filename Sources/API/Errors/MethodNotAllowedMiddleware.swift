// MethodNotAllowedMiddleware: a path served for other methods answers 405 with Allow, not 404.

import HTTPTypes
import Hummingbird

/// Turns the router's "no route" into 405 `method_not_allowed` when the path is served for other methods, with an
/// `Allow` header listing them (HTTP requires it); a path served for no method stays a 404.
///
/// It runs only where nothing matched: it is added after every route, and a router applies its middleware to the
/// routes added after it and to the not-found path.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Every route: its path pattern and method.
    let routes: [(path: RouterPath, method: HTTPRequest.Method)]

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let components = request.uri.path.split(separator: "/", omittingEmptySubsequences: true)
            var methods = Set(self.routes.filter { Self.matches($0.path, components) }.map(\.method.rawValue))
            guard !methods.isEmpty else { throw error }
            if methods.contains("GET") { methods.insert("HEAD") }  // served with every GET
            let allowed = methods.sorted()
            var response = try APIError(
                .methodNotAllowed,
                "\(request.method.rawValue) \(request.uri.path) is not served; this path serves \(allowed.joined(separator: ", "))"
            ).jsonResponse()
            response.headers[.allow] = allowed.joined(separator: ", ")
            return response
        }
    }

    /// Whether the concrete path `components` fits the pattern `path` (literal parts equal, captures any one part).
    private static func matches(_ path: RouterPath, _ components: [Substring]) -> Bool {
        guard path.components.count == components.count else { return false }
        return zip(path.components, components).allSatisfy { element, component in element ~= component }
    }
}
