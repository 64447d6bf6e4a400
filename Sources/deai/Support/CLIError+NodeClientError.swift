// The CLI's line for an error of the node's API client.

import Node

extension CLIError {
    /// The line for `error`: the node's own message with its stable name and code when it refused, the URL when it
    /// cannot be reached.
    init(_ error: NodeClientError) {
        switch error {
        case .invalidURL(let url):
            self.init("--node \(url) is not an http:// URL")
        case .unreachable(let url, let reason):
            self.init("cannot reach the node at \(url): \(reason); is it running, and is --node right?")
        case .apiError(_, _, let code, let name, let message):
            self.init("the node refused: \(message) (\(name), code \(code))")
        case .invalidResponse, .cancelled:
            self.init(error.description)
        }
    }
}
