// A `deai start` process in the background, on a port the system picked.

import Foundation
import Synchronization

/// A node started with `deai start --api-port 0`; its port is read from the line it prints once bound.
final class RunningNode: Sendable {
    /// The process.
    private let process: Process
    /// Its stderr (logs), for failure messages.
    private let logs: TemporaryFile
    /// Ends with the exit status.
    private let exits: AsyncStream<Int32>
    /// The API port.
    let port: Int

    /// The API's URL, for `--node`.
    var url: String { "http://127.0.0.1:\(self.port)" }

    private init(process: Process, logs: TemporaryFile, exits: AsyncStream<Int32>, port: Int) {
        self.process = process
        self.logs = logs
        self.exits = exits
        self.port = port
    }

    /// Starts `deai start --home home --api-port 0 arguments…` and waits until its API listens.
    static func start(home: String, arguments: [String] = []) async throws -> RunningNode {
        let logs = try TemporaryFile()
        let output = Pipe()
        let process = Process()
        process.executableURL = DeAIExecutable.url
        process.arguments = ["start", "--home", home, "--api-port", "0"] + arguments
        process.standardOutput = output
        process.standardError = logs.handle
        let (exits, exited) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { process in
            exited.yield(process.terminationStatus)
            exited.finish()
        }
        let lines = Self.lines(of: output.fileHandleForReading)
        try process.run()
        do {
            let port = try await Self.port(from: lines, timeout: .seconds(60))
            return RunningNode(process: process, logs: logs, exits: exits, port: port)
        } catch {
            process.interrupt()
            throw TestFailure("the node did not start: \(error)\nlogs:\n\(try logs.contents())")
        }
    }

    /// Sends SIGTERM and waits for the exit status.
    func stop(timeout: Duration = .seconds(30)) async throws -> Int32 {
        self.process.terminate()
        return try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask { await self.exits.first { _ in true } }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let status = try await group.next() ?? nil else {
                kill(self.process.processIdentifier, SIGKILL)
                throw TestFailure("the node did not stop within \(timeout) of SIGTERM")
            }
            return status
        }
    }

    /// Kills the node with SIGKILL, as a crash would, and waits until it is gone.
    func crash() async {
        kill(self.process.processIdentifier, SIGKILL)
        _ = await self.exits.first { _ in true }
    }

    /// Freezes the node with SIGSTOP, as a machine that stalls would; ``resume()`` thaws it.
    func pause() { kill(self.process.processIdentifier, SIGSTOP) }

    /// Thaws a node frozen by ``pause()``.
    func resume() { kill(self.process.processIdentifier, SIGCONT) }

    /// Kills the node if it still runs (cleanup after a failed test).
    func killIfRunning() {
        if self.process.isRunning { kill(self.process.processIdentifier, SIGKILL) }
    }

    /// The node's logs so far.
    func logText() -> String { (try? self.logs.contents()) ?? "" }

    // MARK: - Reading stdout

    private static func lines(of handle: FileHandle) -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let buffer = Mutex<[UInt8]>([])
        handle.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                handle.readabilityHandler = nil
                continuation.finish()
                return
            }
            let lines: [String] = buffer.withLock { buffer in
                buffer += data
                var lines: [String] = []
                while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    lines.append(String(decoding: buffer[..<newline], as: UTF8.self))
                    buffer.removeSubrange(...newline)
                }
                return lines
            }
            for line in lines { continuation.yield(line) }
        }
        return stream
    }

    private static func port(from lines: AsyncStream<String>, timeout: Duration) async throws -> Int {
        try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask {
                let prefix = "API listening on http://127.0.0.1:"
                for await line in lines where line.hasPrefix(prefix) {
                    return Int(line.dropFirst(prefix.count))
                }
                throw TestFailure("stdout ended before the API listened")
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw TestFailure("no 'API listening' line within \(timeout)")
            }
            defer { group.cancelAll() }
            guard let port = try await group.next() ?? nil else { throw TestFailure("unreadable port line") }
            return port
        }
    }
}

/// Runs `body` with a started node and kills the node if `body` fails before stopping it.
func withRunningNode<T>(
    home: String,
    arguments: [String] = [],
    _ body: (RunningNode) async throws -> T
) async throws -> T {
    let node = try await RunningNode.start(home: home, arguments: arguments)
    do {
        let result = try await body(node)
        node.killIfRunning()
        return result
    } catch {
        node.killIfRunning()
        throw TestFailure("\(error)\nnode logs:\n\(node.logText())")
    }
}

/// Runs `body` with a new empty directory, then deletes it.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("deai-cli-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}
