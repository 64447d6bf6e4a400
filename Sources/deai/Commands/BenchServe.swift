// `deai bench serve`: requests per second of `deai serve`'s predict route, free and paid, beside PyTorch + FastAPI.

import ArgumentParser
import Foundation

/// `deai bench serve`: the requests per second and the p50/p99 latency of our inference server answering one
/// digits row per request with the MLP 64-128-128-10, in three runs one after the other under the same load
/// (`serve_bench.sh`'s wrk, 2 threads, `--connections` connections, `--seconds` seconds, the same body), each
/// after `--warmup` seconds of the same load whose figures are dropped:
///
/// 1. our server (``ServeBenchServer``, in this process, on loopback) free;
/// 2. the same at 1 token per row, every request paid with its own channel voucher (``ServeLoad/paid(url:vouchers:)``);
/// 3. the peer, PyTorch 2.13 behind FastAPI/uvicorn with 2 workers (`torch_serve.py`, ``TorchServePeer``), when
///    its venv is present.
///
/// The warm-up is for the peer above all: uvicorn answers `/health` as soon as its first worker is up, while the
/// second still imports torch, and a cold peer serves at half its speed or less. wrk and the servers share this
/// machine's cores, so the figures move from run to run; the ratios are what one run measures of both sides.
struct BenchServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Measure the inference server's requests/s and latency, free and paid, against PyTorch + FastAPI."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Open connections of the load generator (wrk, 2 threads).") var connections: Int = 16
    @Option(help: "Seconds of load per run.") var seconds: Int = 10
    @Option(help: "Seconds of load before each run, not counted.") var warmup: Int = 5
    @Option(help: "The peers directory (serve_bench.sh, torch_serve.py).") var peers: String = "../shared/peers"
    @Flag(help: "Skip the PyTorch run.") var noPeers = false

    func validate() throws {
        guard (ServeLoad.threads...10_000).contains(self.connections) else {
            throw ValidationError(
                "--connections must be \(ServeLoad.threads) to 10000 (wrk runs \(ServeLoad.threads) threads)")
        }
        // The paid run signs every voucher it sends beforehand, about 15,000 a second of load.
        guard (1...120).contains(self.seconds) else { throw ValidationError("--seconds must be 1 to 120") }
        guard (0...60).contains(self.warmup) else { throw ValidationError("--warmup must be 0 to 60") }
    }

    func run() async throws {
        let progress = StderrProgress(quiet: self.global.json)
        let script = "\(self.peers)/serve_bench.sh"
        guard FileManager.default.fileExists(atPath: script) else {
            throw CLIError("\(script) not found: it loads the servers (--peers names the directory of ../shared/peers)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deai-bench-serve-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let load = try ServeLoad(script: script, connections: self.connections, directory: directory)
        let server = try ServeBenchServer()
        let (seconds, warmup) = (self.seconds, self.warmup)
        let plan = "\(self.connections) connections, \(warmup) s warm-up, \(seconds) s…"

        progress.say("DeAI, free: " + plan)
        let free = try await server.serve(price: 0) { url in
            if warmup > 0 { _ = try await load.free(url: url, seconds: warmup) }
            return try await load.free(url: url, seconds: seconds)
        }
        progress.say(ServeBenchReport.line("DeAI, free", free))

        // The paid runs must not run out of vouchers: they are no faster than the free one, give or take the noise.
        let rps = free.rps.isFinite ? free.rps : 0
        let warmupCount = UInt64(rps * Double(warmup) * 1.5) + 1_000
        let count = UInt64(rps * Double(seconds) * 1.5) + 10_000
        progress.say("signing \(warmupCount + count) vouchers…")
        let warmupVouchers = try server.writeVouchers(
            1...warmupCount, files: ServeLoad.threads, directory: directory)
        let vouchers = try server.writeVouchers(
            warmupCount + 1...warmupCount + count, files: ServeLoad.threads, directory: directory)
        progress.say("DeAI, paid, a voucher a request: " + plan)
        let paid = try await server.serve(price: 1) { url in
            if warmup > 0 { _ = try await load.paid(url: url, vouchers: warmupVouchers, seconds: warmup) }
            return try await load.paid(url: url, vouchers: vouchers, seconds: seconds)
        }
        progress.say(ServeBenchReport.line("DeAI, paid", paid))

        var peer: ServeLoadResult?
        if !self.noPeers {
            if let python = TorchServePeer.python(peers: self.peers) {
                progress.say("PyTorch + FastAPI, 2 workers: " + plan)
                peer = try await TorchServePeer(python: python, peers: self.peers, directory: directory)
                    .measure(progress: progress) { url in
                        if warmup > 0 { _ = try await load.free(url: url, seconds: warmup) }
                        return try await load.free(url: url, seconds: seconds)
                    }
                if let peer { progress.say(ServeBenchReport.line("PyTorch + FastAPI", peer)) }
            } else {
                progress.say("PyTorch peer not found (\(self.peers)/torch_serve.py and its venv, see setup.sh): "
                    + "DeAI figures only")
            }
        }

        let report = ServeBenchReport(
            connections: self.connections, seconds: seconds, warmup: warmup, free: free, paid: paid, peer: peer)
        if self.global.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            for line in report.lines { print(line) }
        }
        guard paid.errors == 0 else {
            throw CLIError("the paid run failed \(paid.errors) requests (402s or socket errors): its figures are void")
        }
    }
}

/// What `deai bench serve` prints: the three runs and how ours compare with the peer's.
struct ServeBenchReport: Encodable {
    var model = "digits MLP 64-128-128-10, one row per request"
    var connections: Int
    var seconds: Int
    /// Seconds of uncounted load before each run.
    var warmup: Int
    /// Our server, free.
    var free: ServeLoadResult
    /// Our server at 1 token per row, a voucher a request.
    var paid: ServeLoadResult
    /// PyTorch + FastAPI, when it ran.
    var peer: ServeLoadResult?

    /// Our free requests/s over the peer's.
    var freeRatio: Double? { self.peer.map { self.free.rps / $0.rps } }
    /// Our paid requests/s over the peer's.
    var paidRatio: Double? { self.peer.map { self.paid.rps / $0.rps } }

    private enum CodingKeys: String, CodingKey {
        case model, connections, seconds, warmup, free, paid, peer
        case freeRatio = "free_over_peer", paidRatio = "paid_over_peer"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.model, forKey: .model)
        try container.encode(self.connections, forKey: .connections)
        try container.encode(self.seconds, forKey: .seconds)
        try container.encode(self.warmup, forKey: .warmup)
        try container.encode(self.free, forKey: .free)
        try container.encode(self.paid, forKey: .paid)
        try container.encodeIfPresent(self.peer, forKey: .peer)
        try container.encodeIfPresent(self.freeRatio, forKey: .freeRatio)
        try container.encodeIfPresent(self.paidRatio, forKey: .paidRatio)
    }

    static let header = "server                          requests/s    p50 ms    p99 ms    errors   ÷ peer"

    /// One run's line of the table.
    static func line(_ name: String, _ result: ServeLoadResult, ratio: Double? = nil) -> String {
        name.padding(toLength: 30, withPad: " ", startingAt: 0)
            + String(
                format: "%12.0f  %8.2f  %8.2f  %8d", result.rps, result.p50Milliseconds, result.p99Milliseconds,
                result.errors)
            + (ratio.map { String(format: "  %6.2f×", $0) } ?? "")
    }

    var lines: [String] {
        var lines = [
            "deai bench serve — \(self.model), "
                + "wrk \(ServeLoad.threads) threads × \(self.connections) connections, "
                + "\(self.seconds) s a run after \(self.warmup) s of warm-up",
            "",
            Self.header,
            Self.line("DeAI, free", self.free, ratio: self.freeRatio),
            Self.line("DeAI, paid (voucher/request)", self.paid, ratio: self.paidRatio),
        ]
        if let peer = self.peer {
            lines.append(Self.line("PyTorch + FastAPI, 2 workers", peer))
            let free = (self.freeRatio ?? 0) >= 5 && self.free.p99Milliseconds < 5
            let paid = (self.paidRatio ?? 0) >= 3 && self.paid.errors == 0
            lines.append("")
            lines.append("goals: free ≥ 5× the peer with p99 < 5 ms: \(free ? "met" : "not met"); "
                + "paid ≥ 3× the peer: \(paid ? "met" : "not met")")
        }
        return lines
    }
}
