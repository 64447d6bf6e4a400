// APITests: connections over real sockets — bounded per client, and waits that end when their client leaves.

import APITypes
import Consensus
import DeAICore
import Foundation
import Hummingbird
import HummingbirdTesting
import Ledger
import NIOCore
import NIOPosix
import Testing

@Suite("API connections")
struct ConnectionTests {
    @Test("a connection beyond api.max_connections_per_client gets 429 too_many_connections and is closed; a freed place admits the next")
    func perClientBound() async throws {
        try await TestNode.withNode { node in
            // The test framework's own client holds one connection; two more reach the bound of three.
            let configuration = APIConfiguration(port: 0, maxConnectionsPerClient: 3)
            try await node.app(configuration: configuration).test(.live) { client in
                let port = try #require(client.port)
                #expect(try await client.execute(uri: "/v1/status", method: .get).status == .ok)
                let (first, second) = (try await RawHTTP.connect(port: port), try await RawHTTP.connect(port: port))
                try await first.executeThenClose { firstIn, firstOut in
                    try await second.executeThenClose { secondIn, secondOut in
                        // Each is counted once the server answered on it.
                        try await RawHTTP.answer(on: (firstIn, firstOut))
                        try await RawHTTP.answer(on: (secondIn, secondOut))
                        let refused = try await RawHTTP.exchange("GET /v1/status", port: port)
                        #expect(refused.hasPrefix("HTTP/1.1 429 "), "\(refused)")
                        #expect(refused.lowercased().contains("retry-after: 1"))
                        #expect(refused.contains("\"too_many_connections\"") && refused.contains("1107"))
                    }
                    // The second connection closed: its place is free again.
                    let admitted = try await RawHTTP.eventually(port: port) { $0.hasPrefix("HTTP/1.1 200 ") }
                    #expect(admitted.contains("\"chain_id\""))
                }
            }
        }
    }

    @Test("a long-poll whose client leaves ends at once and frees its place among the waiting requests")
    func departedLongPoll() async throws {
        try await TrainingRun.withTask(through: .enrolled) { node in
            let key = StateKey.task(id: TrainingRun.taskID)
            let valueHash = StateEntryView.valueHash(await node.chain.view.state.encodedValue(for: key))
            let poll = "GET /v1/state/\(key.bytes.hexString)?changed_from=\(valueHash.hexString)&timeout_ms="
            let configuration = APIConfiguration(port: 0, maxWaitingRequests: 1)
            try await node.app(configuration: configuration).test(.live) { client in
                let port = try #require(client.port)
                // A long-poll that holds the one place, known to hold it when another is refused meanwhile (a probe
                // that came first would have taken the place for its 10 ms: then try again).
                var held = false
                for _ in 0..<20 where !held {
                    try await RawHTTP.connect(port: port).executeThenClose { _, outbound in
                        try await outbound.write(RawHTTP.request(poll + "30000", close: false))
                        try await Task.sleep(for: .milliseconds(100))
                        held = try await RawHTTP.exchange(poll + "10", port: port).hasPrefix("HTTP/1.1 429 ")
                    }
                }
                try #require(held)
                // The client left: the place is free long before the 30 s the first poll asked for.
                let clock = ContinuousClock()
                let left = clock.now
                _ = try await RawHTTP.eventually(port: port, poll + "10") { $0.hasPrefix("HTTP/1.1 200 ") }
                #expect(clock.now - left < .seconds(5))
            }
        }
    }
}

/// HTTP/1.1 over raw TCP connections on loopback: connections held open without a request, or left mid-request,
/// as a client library would not do.
enum RawHTTP {
    /// A TCP connection to the API on `port`.
    static func connect(port: Int) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port) {
            channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
    }

    /// The bytes of `requestLine` (`GET /path`) as a request, asking the server to close after it when `close`.
    static func request(_ requestLine: String, close: Bool = true) -> ByteBuffer {
        ByteBuffer(string: "\(requestLine) HTTP/1.1\r\nhost: 127.0.0.1\r\n\(close ? "connection: close\r\n" : "")\r\n")
    }

    /// Sends `GET /v1/status` on a kept-alive connection and waits for the first bytes of the answer.
    static func answer(
        on connection: (NIOAsyncChannelInboundStream<ByteBuffer>, NIOAsyncChannelOutboundWriter<ByteBuffer>)
    ) async throws {
        try await connection.1.write(self.request("GET /v1/status", close: false))
        var bytes = connection.0.makeAsyncIterator()
        let first = try await bytes.next()
        #expect(first.map { String(buffer: $0) }?.hasPrefix("HTTP/1.1 200 ") == true)
    }

    /// The whole answer to `requestLine` on a new connection that the server closes after answering.
    static func exchange(_ requestLine: String, port: Int) async throws -> String {
        try await self.connect(port: port).executeThenClose { inbound, outbound in
            try await outbound.write(self.request(requestLine))
            var answer = ByteBuffer()
            for try await var part in inbound { answer.writeBuffer(&part) }
            return String(buffer: answer)
        }
    }

    /// The answer to `requestLine` once it satisfies `accepted`, asking again every 50 ms for at most 5 seconds.
    static func eventually(
        port: Int, _ requestLine: String = "GET /v1/status", _ accepted: (String) -> Bool,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            let answer = try await self.exchange(requestLine, port: port)
            if accepted(answer) || ContinuousClock.now > deadline {
                #expect(accepted(answer), "last answer: \(answer)", sourceLocation: sourceLocation)
                return answer
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
