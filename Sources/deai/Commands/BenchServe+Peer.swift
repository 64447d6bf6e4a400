// The peer of `deai bench serve`: PyTorch 2.13 behind FastAPI/uvicorn, `torch_serve.py --workers 2`.

import Foundation
import NIOCore
import NIOPosix
import Node

/// `torch_serve.py` from the peers directory, run with the venv of `setup.sh` on a free loopback port with 2
/// workers (one torch thread each), started for one load run and stopped after it.
struct TorchServePeer {
    let python: String
    let peers: String
    let directory: String

    /// The venv's python when it and `torch_serve.py` exist.
    static func python(peers: String) -> String? {
        guard let python = LearningPeers.python(peers: peers),
            FileManager.default.fileExists(atPath: "\(peers)/torch_serve.py")
        else { return nil }
        return python
    }

    /// Starts the peer, waits for `GET /health`, runs `load` on its predict route and stops it; `nil`, with a
    /// message, when the peer does not come up (torch missing from the venv, say).
    func measure(
        progress: StderrProgress, _ load: @Sendable (String) async throws -> ServeLoadResult
    ) async throws -> ServeLoadResult? {
        let port = try await Self.freePort()
        let log = "\(self.directory)/torch_serve.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: self.python)
        process.arguments = ["\(self.peers)/torch_serve.py", "--port", "\(port)", "--workers", "2"]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardError = process.standardOutput
        try process.run()
        defer { Self.stop(process) }
        let base = "http://127.0.0.1:\(port)"
        guard try await Self.waitForHealth(base, process: process) else {
            let tail = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").suffix(5)
            progress.say("the PyTorch peer did not come up (is torch in its venv? see setup.sh); skipped:\n"
                + tail.joined(separator: "\n"))
            return nil
        }
        return try await load("\(base)/predict")
    }

    /// Polls `GET /health` until it answers, the process exits (`false`) or a minute passes (`false`).
    private static func waitForHealth(_ base: String, process: Process) async throws -> Bool {
        struct Health: Decodable { var ok: Bool }
        let client = try NodeClient(baseURL: base, timeout: .seconds(2))
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, process.isRunning {
            if (try? await client.get("/health", as: Health.self))?.ok == true { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    /// SIGTERM (uvicorn stops its workers), then SIGKILL after 10 s.
    private static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// A loopback port free a moment ago.
    private static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}
