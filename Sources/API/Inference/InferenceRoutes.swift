// API: POST /v1/models/{id}/predict, GET /v1/models and GET /v1/channels/{id}/covered on an inference server.

import APITypes
import HTTPTypes
import Hummingbird

/// The routes of an inference server: answers paid by channel vouchers, what it serves, and what it holds of a
/// channel.
struct InferenceRoutes {
    let provider: any PredictionProvider
    let maxBodyBytes: Int

    private static let voucherHeader = HTTPField.Name(VoucherHeader.name)

    func register(on router: Router<APIRequestContext>) {
        router.post("/v1/models/:id/predict") { request, context in
            let model = context.parameters.get("id") ?? ""
            let rows = try await request.predictRows(maxBytes: self.maxBodyBytes)
            let voucher = Self.voucherHeader.flatMap { request.headers[$0] }.map { Substring($0) }
            return try await self.provider.predict(model: model, rows: rows, voucher: voucher).response()
        }
        router.get("/v1/models") { _, _ in
            try JSONResponse.make(self.provider.catalog())
        }
        router.get("/v1/channels/:id/covered") { _, context in
            let id = try context.pathParameter("id", expected: "a channel identifier (1, 2, …)") { UInt64($0) }
            guard let covered = self.provider.covered(channel: id) else {
                throw APIError(.notFound, "this server has taken no voucher on channel \(id) since it started")
            }
            return try JSONResponse.make(CoveredView(channelID: id, covered: covered))
        }
    }
}
