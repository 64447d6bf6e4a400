// APITests: one real HTTP request over loopback, on an ephemeral port.

import APITypes
import HTTPTypes
import HummingbirdTesting
import Synchronization
import Testing

@Suite("live server")
struct LiveServerTests {
    @Test("the server binds an ephemeral port, reports it, and answers over HTTP")
    func ephemeralPort() async throws {
        try await TestNode.withNode { node in
            let reported = Mutex<Int?>(nil)
            let app = node.app(configuration: APIConfiguration(port: 0)) { port in
                reported.withLock { $0 = port }
            }
            try await app.test(.live) { client in
                let response = try await client.get("/v1/status")
                #expect(response.status == .ok)
                #expect(try response.decode(StatusView.self).chainID == TestNode.chainID)
                let port = try #require(reported.withLock { $0 })
                #expect(port != 0)
                #expect(port == client.port)
            }
        }
    }

    @Test("an oversized body is refused with 413 over HTTP, and the connection still serves the next request")
    func oversizedBodyOverHTTP() async throws {
        try await TestNode.withNode { node in
            try await node.app(configuration: APIConfiguration(port: 0, maxBodyBytes: 1_024)).test(.live) { client in
                let body = #"{"tx": ""# + String(repeating: "00", count: 4_096) + #""}"#
                try await client.post("/v1/txs", body: body).expectError(.contentTooLarge, code: 1005, name: "body_too_large")
                #expect(try await client.get("/v1/status").status == .ok)
            }
        }
    }
}
