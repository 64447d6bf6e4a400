// NodeProcess: a `deai start` child of this executable, for networks of several processes on one machine.

import Foundation
import APITypes
import Node
import Synchronization

/// A node run as a child process of this `deai` (`deai start --home HOME`), its logs in `HOME/node.log`; used by
/// `deai bench consensus` and `deai devnet --validators N`. Each is its own OS process, as on separate machines.
final class NodeProcess: Sendable {
    /// The node's home.
    let home: NodeHome
    /// Its API, `http://HOST:PORT` from its `config.json`.
    let apiURL: String
    private let process: Mutex<Process?>

    /// This executable.
    static var executable: URL {
        #if os(Linux)
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        #else
        URL(fileURLWithPath: CommandLine.arguments[0])
        #endif
    }

    /// A process for `home`, not started.
    init(home: NodeHome) throws {
        let configuration = try NodeConfiguration(contentsOf: home.configurationFile)
        self.home = home
        self.apiURL = "http://\(configuration.api.host):\(configuration.api.port)"
        self.process = Mutex(nil)
    }

    /// The file the node's logs go to.
    var logFile: String { "\(self.home.path)/node.log" }

    /// Starts the node and waits until its API answers.
    /// - Throws: ``CLIError`` when it exits or does not answer within `timeout`, with the end of its log.
    func start(logLevel: String = "notice", timeout: Duration = .seconds(60)) async throws {
        _ = FileManager.default.createFile(atPath: self.logFile, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: self.logFile))
        log.seekToEndOfFile()
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["start", "--home", self.home.path, "--log-level", logLevel]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = log
        try process.run()
        self.process.withLock { $0 = process }
        let client = try NodeClient(baseURL: self.apiURL, timeout: .seconds(2))
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw CLIError("the node of \(self.home.path) exited:\n\(self.logTail())") }
            if (try? await client.status()) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CLIError("the node of \(self.home.path) did not answer within \(timeout):\n\(self.logTail())")
    }

    /// Kills the node with SIGKILL, as a crash would.
    func kill() {
        self.signal(SIGKILL)
    }

    /// Stops the node with SIGTERM (it commits the block in flight) and waits for it to exit.
    func stop() {
        guard let process = self.process.withLock({ $0 }), process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// Sends `signal` to the node, if it runs.
    func signal(_ signal: Int32) {
        guard let process = self.process.withLock({ $0 }), process.isRunning else { return }
        Foundation.kill(process.processIdentifier, signal)
    }

    /// The last lines of the node's log.
    func logTail(lines: Int = 20) -> String {
        let text = (try? String(contentsOfFile: self.logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }
}
