// APITests: one real HTTP request over loopback, on an ephemeral port.

import API
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
}
