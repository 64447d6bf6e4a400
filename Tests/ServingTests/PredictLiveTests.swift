// POST /v1/models/{id}/predict over a real connection, answered on the connection's event loop.

import APITypes
import DeAITesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Serving
import Testing

@Suite("Predict route, live")
struct PredictLiveTests {
    @Test("over HTTP on loopback, paid requests with out-of-order vouchers and malformed ones are answered in turn")
    func paidOverHTTP() async throws {
        try await PredictRouteTests.app(try ServingFixtures.service()).test(.live) { client in
            var charged: [UInt64] = []
            for amount: UInt64 in [4, 2, 8, 6] {
                let response = try await PredictRouteTests.predict(client, voucher: try ServingFixtures.voucher(amount))
                #expect(response.status == .ok)
                let answer = try JSONDecoder().decode(PredictResponse.self, from: Data(response.body.readableBytesView))
                #expect(answer.receipt.receipt.isSigned(chainID: ChainFixtures.chainID))
                charged.append(answer.charged)
            }
            #expect(charged == [2, 2, 2, 2])
            let replay = try await PredictRouteTests.predict(client, voucher: try ServingFixtures.voucher(6))
            #expect(replay.status.code == 402)
            let malformed = try await PredictRouteTests.predict(client, body: "{", voucher: try ServingFixtures.voucher(10))
            #expect(malformed.status == .badRequest)
            #expect(try await PredictRouteTests.predict(client, voucher: try ServingFixtures.voucher(10)).status == .ok)
        }
    }
}
