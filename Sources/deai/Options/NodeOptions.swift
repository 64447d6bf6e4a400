// The option of commands that talk to a running node.

import ArgumentParser
import Node

/// `--node URL`: where the node's API listens.
struct NodeOptions: ParsableArguments {
    @Option(help: "URL of the node's API") var node: String = "http://127.0.0.1:26657"

    /// A client of that node.
    /// - Throws: ``CLIError`` when `--node` is not an http(s) URL.
    func client() throws -> NodeClient {
        do {
            return try NodeClient(baseURL: self.node)
        } catch {
            throw CLIError(error)
        }
    }

    /// Runs `call` with a client of the node, turning its ``NodeClientError`` into a one-line ``CLIError``.
    func call<Value>(_ call: (NodeClient) async throws -> Value) async throws -> Value {
        let client = try self.client()
        do {
            return try await call(client)
        } catch let error as NodeClientError {
            throw CLIError(error)
        }
    }
}
