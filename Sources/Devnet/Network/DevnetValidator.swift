// The devnet's validator: a real node, wired as `deai start` wires one, on 127.0.0.1 with an ephemeral port.

import API
import APITypes
import Consensus
import DeAICore
import Ledger
import Node
import Storage

extension Devnet {
    /// The one validator of a devnet: a node home in `directory` for `genesis` and `key`, with its SQLite database
    /// and blob store on disk, serving the HTTP API on 127.0.0.1 with an ephemeral port and producing a block as
    /// soon as transactions wait. Returns once its API answers.
    func startValidator(directory: String, genesis: Genesis, key: SigningKey) async throws -> DevnetValidators {
        let configuration = NodeConfiguration(
            api: APIConfiguration(host: "127.0.0.1", port: 0, maxBodyBytes: 64 << 20),
            blockInterval: .milliseconds(50), eagerBlockInterval: .milliseconds(2))
        let home = NodeHome(path: directory)
        try home.provision(genesis: genesis, validatorKey: key, configuration: configuration)
        let node = try await Node.open(home: home, configuration: configuration, logger: self.logger)
        let blobs = try BlobStore(directory: home.blobsDirectory)
        let logger = self.logger
        let running = try await node.start { chain, onListening in
            makeAPIApplication(
                chain: chain, configuration: configuration.api, metrics: nil, blobs: blobs, logger: logger,
                onServerRunning: onListening)
        }
        return DevnetValidators(
            validators: [.init(name: genesis.validators.first?.moniker ?? "validator", apiURL: running.apiURL)],
            stop: { try await running.stop() })
    }
}
