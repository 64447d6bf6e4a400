// The option of commands that talk to a running node.

import ArgumentParser

/// `--node URL`: where the node's API listens.
struct NodeOptions: ParsableArguments {
    @Option(help: "URL of the node's API") var node: String = "http://127.0.0.1:26657"

    /// A client of that node.
    func client() throws -> NodeClient {
        try NodeClient(baseURL: self.node)
    }
}
