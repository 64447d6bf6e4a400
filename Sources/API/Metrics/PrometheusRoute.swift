// API: GET /metrics, the Prometheus text exposition of the node's metrics.

import HTTPTypes
import Hummingbird
import Prometheus

/// Exports the metrics the layers record through swift-metrics (`deai_chain_height`, `deai_transactions_total`,
/// `deai_mempool_transactions`, `deai_mempool_bytes`, `deai_block_commit_seconds`, …). The API records none itself.
struct PrometheusRoute {
    /// The content type of the Prometheus text format, version 0.0.4.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    let registry: PrometheusCollectorRegistry

    func register(on router: Router<APIRequestContext>) {
        router.get("/metrics") { _, _ in
            var bytes: [UInt8] = []
            self.registry.emit(into: &bytes)
            var headers = HTTPFields()
            headers[.contentType] = Self.contentType
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
