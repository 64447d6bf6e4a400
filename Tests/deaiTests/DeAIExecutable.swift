// Running the built `deai` executable as a subprocess.

import Foundation

/// The result of one `deai` run.
struct CommandResult: Sendable {
    /// The exit status.
    var status: Int32
    /// Everything written on stdout.
    var stdout: String
    /// Everything written on stderr.
    var stderr: String

    /// stdout parsed as a JSON object.
    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(self.stdout.utf8)) as? [String: Any] else {
            throw TestFailure("stdout is not a JSON object: \(self.stdout)")
        }
        return object
    }
}

/// A failure with a message, thrown by the helpers.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The `deai` executable built next to this test bundle, or `$DEAI_EXECUTABLE`.
enum DeAIExecutable {
    static let url: URL = {
        if let path = ProcessInfo.processInfo.environment["DEAI_EXECUTABLE"] {
            return URL(fileURLWithPath: path)
        }
        #if os(Linux)
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        #else
        let testBinary =
            Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL
            ?? URL(fileURLWithPath: CommandLine.arguments[0])
        #endif
        // Linux: <products>/deaiPackageTests.xctest; macOS: <products>/deaiPackageTests.xctest/Contents/MacOS/…
        var directory = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("deai")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return testBinary.deletingLastPathComponent().appendingPathComponent("deai")
    }()

    /// Runs `deai arguments…` to completion, with `input` (a file's path) as its standard input.
    static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) async throws
        -> CommandResult
    {
        let output = try TemporaryFile()
        let errors = try TemporaryFile()
        let process = Process()
        if let input { process.standardInput = FileHandle(forReadingAtPath: input) }
        process.executableURL = self.url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output.handle
        process.standardError = errors.handle
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return CommandResult(status: status, stdout: try output.contents(), stderr: try errors.contents())
    }
}

/// A temporary file open for writing, read back once the writer is done.
final class TemporaryFile: Sendable {
    let path: String
    let handle: FileHandle

    init() throws {
        self.path = FileManager.default.temporaryDirectory.appendingPathComponent("deai-cli-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: self.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: self.path)
        else {
            throw TestFailure("cannot create \(self.path)")
        }
        self.handle = handle
    }

    func contents() throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: self.path)), as: UTF8.self)
    }

    deinit {
        try? self.handle.close()
        try? FileManager.default.removeItem(atPath: self.path)
    }
}
