// APITests: GET /metrics.

import HTTPTypes
import HummingbirdTesting
import Metrics
import Prometheus
import Testing

@Suite("GET /metrics")
struct MetricsRouteTests {
    @Test("the Prometheus text holds the chain's metrics")
    func metrics() async throws {
        let registry = PrometheusCollectorRegistry()
        // The chain creates its metrics when it opens: bind the factory for this test only, not process-wide.
        try await withMetricsFactory(PrometheusMetricsFactory(registry: registry)) {
            try await TestNode.withNode { node in
                try await node.produceBlock()
                try await node.app(metrics: registry).test(.router) { client in
                    let response = try await client.get("/metrics")
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                    #expect(response.text.contains("deai_chain_height 1"))
                }
            }
        }
    }

    @Test("without a registry there is no /metrics")
    func noRegistry() async throws {
        try await TestNode.withNode { node in
            try await node.app().test(.router) { client in
                try await client.get("/metrics").expectError(.notFound, code: 1001, name: "not_found")
            }
        }
    }
}
