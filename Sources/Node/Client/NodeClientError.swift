// Node: why a call to a node's API failed.

/// Why a ``NodeClient`` call failed: the URL is unusable, the node cannot be reached, the node refused the request
/// with an API error, or its answer is not what the API promises.
///
/// An enum, unlike the layer's ``NodeError`` struct, because callers switch on what happened and on the API's
/// stable error `code` and `name`: ``BlobExchange`` tries the next peer after a 404 or a lying peer, the CLI prints
/// the node's own message. Every case reads as one sentence for a person through ``description``.
public enum NodeClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The base URL is not an `http://` or `https://` URL with a host.
    case invalidURL(String)
    /// No answer from the node at `url`: refused connection, unknown host, timeout. `reason` is the transport's
    /// description.
    case unreachable(url: String, reason: String)
    /// The node answered `method path` with an API error: the HTTP `status`, the API's stable `code` and `name`
    /// (`docs/API.md`, "Error codes") and its `message` for people.
    case apiError(request: String, status: Int, code: UInt16, name: String, message: String)
    /// The node's answer to `request` is not what the API promises: an HTTP error without an API error body, or a
    /// body that does not decode.
    case invalidResponse(request: String, reason: String)
    /// The task that sent `request` was cancelled before the answer came; the request was abandoned.
    case cancelled(request: String)

    /// Whether the node answered 404: no such task, round, version, blob, transaction, ….
    public var isNotFound: Bool {
        if case .apiError(_, status: 404, _, _, _) = self { return true }
        return false
    }

    /// One line for a person.
    public var description: String {
        switch self {
        case .invalidURL(let url):
            "\(url) is not a node URL: it must be http:// or https:// with a host, such as http://127.0.0.1:26657"
        case .unreachable(let url, let reason):
            "cannot reach the node at \(url): \(reason)"
        case .apiError(let request, let status, let code, let name, let message):
            "the node refused \(request): \(message) (\(name), code \(code), HTTP \(status))"
        case .invalidResponse(let request, let reason):
            "the node's answer to \(request) is not valid: \(reason)"
        case .cancelled(let request):
            "\(request) was cancelled before the node answered"
        }
    }
}
