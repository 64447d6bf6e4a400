// Running the built `deai` executable from tests.

import Foundation
import Testing

/// The built `deai` binary, run as a real process.
struct DeaiProcess {
    /// The `deai` executable next to the test bundle in the build products directory.
    static var executable: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("deai")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: "deai")
    }

    /// A fresh temporary directory for a node home.
    static func temporaryHome() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("deai-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs `deai arguments…` to completion and returns its stdout; a non-zero exit fails with its stderr.
    @discardableResult
    static func run(_ arguments: [String]) throws -> Data {
        let result = try self.runAllowingFailure(arguments)
        guard result.status == 0 else {
            throw ProcessFailure(arguments: arguments, status: result.status, stderr: result.stderr)
        }
        return result.stdout
    }

    /// Runs `deai arguments…` to completion: its exit status, stdout and stderr.
    static func runAllowingFailure(_ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: String) {
        let process = Process()
        process.executableURL = self.executable
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, output, String(decoding: errors, as: UTF8.self))
    }

    /// Starts `deai start …` and waits for the line `API listening on http://HOST:PORT`.
    static func start(_ arguments: [String]) throws -> RunningNode {
        let process = Process()
        process.executableURL = self.executable
        process.arguments = arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        var buffered = ""
        while !buffered.contains("\n") {
            let chunk = stdout.fileHandleForReading.availableData
            guard !chunk.isEmpty else {
                process.waitUntilExit()
                throw ProcessFailure(arguments: arguments, status: process.terminationStatus, stderr: "exited before listening")
            }
            buffered += String(decoding: chunk, as: UTF8.self)
        }
        guard let line = buffered.split(separator: "\n").first, let port = line.split(separator: ":").last.flatMap({ Int($0) }) else {
            process.terminate()
            throw ProcessFailure(arguments: arguments, status: -1, stderr: "unexpected first line: \(buffered)")
        }
        return RunningNode(process: process, port: port)
    }
}

/// A `deai start` process.
struct RunningNode {
    let process: Process
    /// The port its API listens on.
    let port: Int

    /// SIGKILL, and wait for the process to be gone.
    func kill() {
        Foundation.kill(self.process.processIdentifier, SIGKILL)
        self.process.waitUntilExit()
    }

    /// SIGTERM, wait, and return the exit status.
    func terminate() -> Int32 {
        self.process.terminate()
        self.process.waitUntilExit()
        return self.process.terminationStatus
    }
}

/// A `deai` run that failed.
struct ProcessFailure: Error, CustomStringConvertible {
    var arguments: [String]
    var status: Int32
    var stderr: String

    var description: String { "deai \(self.arguments.joined(separator: " ")) exited \(self.status): \(self.stderr)" }
}
