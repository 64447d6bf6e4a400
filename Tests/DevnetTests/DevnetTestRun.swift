// Running a devnet from a test: a temporary directory, quiet logs, the report.

import Devnet
import Foundation
import Logging

/// Runs a devnet of `DevnetOptions()` changed by `configure` (3 rounds unless it says otherwise) in a new temporary
/// directory, removed afterwards; `whileUp`, if given, runs while the validator's API still answers.
func runDevnet(
    _ configure: (inout DevnetOptions) -> Void, whileUp: (@Sendable (String) async -> Void)? = nil
) async throws -> DevnetReport {
    var options = DevnetOptions()
    options.rounds = 3
    configure(&options)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deai-devnet-test-\(UUID().uuidString)")
        .path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var logger = Logger(label: "devnet-test")
    logger.logLevel = .error
    return try await Devnet(options: options, directory: directory, logger: logger).run(keepRunning: whileUp)
}
