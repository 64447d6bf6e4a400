// The load of `deai bench serve`: serve_bench.sh's wrk, plain or with a distinct voucher in every request.

import Dispatch
import Foundation
import Learning

/// One load run's figures, as `serve_bench.sh` prints them.
struct ServeLoadResult: Codable, Sendable {
    /// Requests answered.
    var requests: Int
    /// Responses with a status of 400 or more (wrk's count: the servers send no 1xx or 3xx) and socket errors.
    var errors: Int
    /// Requests answered per second.
    var rps: Double
    /// Median latency.
    var p50Milliseconds: Double
    /// 99th-percentile latency.
    var p99Milliseconds: Double
    /// Worst latency.
    var maxMilliseconds: Double

    private enum CodingKeys: String, CodingKey {
        case requests, errors, rps
        case p50Milliseconds = "p50_ms", p99Milliseconds = "p99_ms", maxMilliseconds = "max_ms"
    }
}

/// Loads a predict route the way `serve_bench.sh` does — wrk, 2 threads, `connections` connections, one digits
/// row of 64 floats per request — and reads back its JSON line.
struct ServeLoad: Sendable {
    /// wrk's threads in `serve_bench.sh`.
    static let threads = 2

    let script: String
    let connections: Int
    let directory: String
    /// The request body every run sends.
    let body: String

    /// A load writing its body and scripts into `directory`.
    init(script: String, connections: Int, directory: String) throws {
        self.script = script
        self.connections = connections
        self.directory = directory
        self.body = "\(directory)/body.json"
        try Self.digitsRow().write(toFile: self.body, atomically: true, encoding: .utf8)
    }

    /// `{"inputs": [[64 floats]]}`: a standardized digits row, seeded, like serve_bench.sh's default body.
    static func digitsRow() -> String {
        var generator = Xoshiro256(seed: 0)
        let values = (0..<64).map { _ in String(format: "%.4f", Double.random(in: -2...2, using: &generator)) }
        return #"{"inputs": [["# + values.joined(separator: ", ") + "]]}\n"
    }

    /// `serve_bench.sh URL BODY CONNECTIONS SECONDS`: the same request again and again for `seconds` seconds.
    func free(url: String, seconds: Int) async throws -> ServeLoadResult {
        try await self.result(of: "/bin/bash", [self.script, url, self.body, "\(self.connections)", "\(seconds)"])
    }

    /// wrk as `serve_bench.sh` runs it, with a script that sends every request with its own voucher: thread k
    /// reads `vouchers[k]` (amounts a+k, a+k+T, … of ``ServeBenchServer/writeVouchers(_:files:directory:)``) and
    /// sends them in order, so no amount is sent twice. A thread that runs out sends its last voucher again, which
    /// the server refuses: the run then shows errors.
    func paid(url: String, vouchers: [String], seconds: Int) async throws -> ServeLoadResult {
        precondition(vouchers.count == Self.threads, "one voucher file per wrk thread")
        let lua = "\(self.directory)/paid.lua"
        try self.paidScript(url: url, vouchers: vouchers, seconds: seconds)
            .write(toFile: lua, atomically: true, encoding: .utf8)
        let arguments = ["wrk", "-t\(Self.threads)", "-c\(self.connections)", "-d\(seconds)s", "-s", lua, url]
        return try await self.result(of: "/usr/bin/env", arguments)
    }

    /// The Lua of ``paid(url:vouchers:seconds:)``; its `done` prints `serve_bench.sh`'s JSON line.
    private func paidScript(url: String, vouchers: [String], seconds: Int) -> String {
        """
        -- deai bench serve: POST the body with a distinct DeAI-Voucher header in every request.
        local files = {\(vouchers.map { "\"\($0)\"" }.joined(separator: ", "))}
        local made = 0
        function setup(thread)
          thread:set("index", made)
          made = made + 1
        end

        local vouchers, position, voucher, head, tail
        function init(args)
          local file = assert(io.open(files[index + 1], "r")); vouchers = file:read("*a"); file:close()
          file = assert(io.open("\(self.body)", "r")); local body = file:read("*a"); file:close()
          local headers = {["Content-Type"] = "application/json", ["DeAI-Voucher"] = "@VOUCHER@"}
          local request = wrk.format("POST", nil, headers, body)
          head, tail = request:match("^(.-)@VOUCHER@(.*)$")
          position = 1
        end

        function request()
          local stop = vouchers:find("\\n", position, true)
          if stop then
            voucher = vouchers:sub(position, stop - 1)
            position = stop + 1
          end
          return head .. voucher .. tail
        end

        done = function(summary, latency, requests)
          local errors = summary.errors
          local failed = errors.status + errors.connect + errors.read + errors.write + errors.timeout
          io.write(string.format(
            '{"url":"%s","connections":%d,"seconds":%d,"requests":%d,"errors":%d,"rps":%.1f,'
              .. '"p50_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f}\\n',
            "\(url)", \(self.connections), \(seconds), summary.requests, failed,
            summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
            latency.max / 1000))
        end
        """
    }

    /// Runs the load and decodes the JSON line it prints last.
    private func result(of executable: String, _ arguments: [String]) async throws -> ServeLoadResult {
        let output = try await ChildProcess.output(executable, arguments, stderr: "\(self.directory)/load.log")
        guard let line = output.split(separator: "\n").last,
            let result = try? JSONDecoder().decode(ServeLoadResult.self, from: Data(line.utf8))
        else {
            let log = (try? String(contentsOfFile: "\(self.directory)/load.log", encoding: .utf8)) ?? ""
            throw CLIError("the load generator printed no result:\n\(output)\(log)")
        }
        return result
    }
}

/// Runs child processes to their end without holding a thread of Swift's concurrency pool: the server under load
/// answers on those.
enum ChildProcess {
    /// Runs `executable` with `arguments` and returns what it wrote on stdout; its stderr goes to the file `stderr`.
    /// - Throws: when it cannot start.
    static func output(_ executable: String, _ arguments: [String], stderr: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try self.run(executable, arguments, stderr: stderr) })
            }
        }
    }

    private static func run(_ executable: String, _ arguments: [String], stderr: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: stderr, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderr))
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
