// Running a devnet from a test: a temporary directory, quiet logs, the report.

import Devnet
import Foundation
import Logging

/// Runs a devnet of `DevnetOptions()` changed by `configure` (3 rounds unless it says otherwise) in a new temporary
/// directory, removed afterwards; `whileUp`, if given, runs while the validator's API still answers.
func runDevnet(
    _ configure: (inout DevnetOptions) -> Void, whileUp: (@Sendable (String) async -> Void)? = nil
) async throws -> DevnetReport {
    let withDirectory: (@Sendable (String, String) async -> Void)?
    if let whileUp { withDirectory = { url, _ in await whileUp(url) } } else { withDirectory = nil }
    return try await runDevnet(configure, whileUpIn: withDirectory)
}

/// ``runDevnet(_:whileUp:)`` whose `whileUpIn` also gets the devnet's directory (its ``Devnet/ServingKit``).
func runDevnet(
    _ configure: (inout DevnetOptions) -> Void, whileUpIn: (@Sendable (String, String) async -> Void)?
) async throws -> DevnetReport {
    var options = DevnetOptions()
    options.rounds = 3
    configure(&options)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deai-devnet-test-\(UUID().uuidString)")
        .path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var logger = Logger(label: "devnet-test")
    logger.logLevel = .error
    let keepRunning: (@Sendable (String) async -> Void)?
    if let whileUpIn { keepRunning = { url in await whileUpIn(url, directory) } } else { keepRunning = nil }
    return try await Devnet(options: options, directory: directory, logger: logger).run(keepRunning: keepRunning)
}
