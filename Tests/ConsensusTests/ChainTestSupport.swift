// ConsensusTests: a chain on a temporary database.

import Consensus
import DeAICore
import DeAITesting
import Foundation
import Ledger
import Logging
import Storage

/// A fresh directory under the system's temporary directory, removed at the end of `body`.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("deai-consensus-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// A logger that drops everything: tests assert on results, not on log lines.
let quietLogger = Logger(label: "deai.test") { _ in SwiftLogNoOpLogHandler() }

/// Opens (or reopens) the chain in `directory` from `genesis`, with the genesis validator's key.
func openChain(
    in directory: String,
    genesis: Genesis = ChainFixtures.genesis(),
    validatorKey: SigningKey? = ChainFixtures.consensusKey,
    signingRecord: (any SigningRecordStore)? = nil,
    configuration: ChainConfiguration = ChainConfiguration()
) async throws -> Chain {
    let database = try NodeDatabase(path: "\(directory)/node.sqlite")
    return try await Chain.open(
        database: database,
        genesis: genesis,
        validatorKey: validatorKey,
        signingRecord: signingRecord,
        configuration: configuration,
        logger: quietLogger
    )
}

/// Block times: one second apart from the genesis time.
func blockTime(_ height: Height) -> UInt64 { ChainFixtures.genesisTime + height * 1_000 }
