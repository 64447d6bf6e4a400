// POST /v1/models/{id}/predict on an inference server: answers, receipts, payments and bad input.

import API
import APITypes
import DeAICore
import DeAITesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Logging
import Serving
import Testing

@Suite("Predict route")
struct PredictRouteTests {
    static func app(_ service: InferenceService, maxBodyBytes: Int = 1 << 20) -> some ApplicationProtocol {
        makeInferenceApplication(
            provider: service, configuration: APIConfiguration(port: 0, maxBodyBytes: maxBodyBytes), logger: Logger(label: "test"))
    }

    static func predict(
        _ client: some TestClientProtocol, model: String = "1.1", body: String? = nil, voucher: ChannelVoucher? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let voucher { headers[HTTPField.Name(VoucherHeader.name)!] = VoucherHeader.value(of: voucher) }
        let json = try body ?? String(decoding: JSONEncoder().encode(PredictRequest(inputs: [ServingFixtures.row])), as: UTF8.self)
        return try await client.execute(uri: "/v1/models/\(model)/predict", method: .post, headers: headers, body: ByteBuffer(string: json))
    }

    static func error(_ response: TestResponse) throws -> APIErrorBody.Detail {
        try JSONDecoder().decode(APIErrorBody.self, from: Data(response.body.readableBytesView)).error
    }

    @Test("an answer carries the server's receipt, which re-executing the input on the fixed-order path confirms")
    func answerWithReceipt() async throws {
        try await Self.app(try ServingFixtures.service(price: 0)).test(.router) { client in
            let response = try await Self.predict(client)
            #expect(response.status == .ok)
            let answer = try JSONDecoder().decode(PredictResponse.self, from: Data(response.body.readableBytesView))
            let receipt = answer.receipt.receipt
            #expect(receipt.isSigned(chainID: ChainFixtures.chainID))
            #expect(receipt.server == ServingFixtures.server.verifyingKey)
            #expect(receipt.input == AnswerReceipt.inputHash(rows: [ServingFixtures.row]))
            let truth = try ServingFixtures.model().served.answer([ServingFixtures.row])
            #expect(receipt.output == truth.outputHash)
            #expect(answer.classes == truth.classes && answer.probabilities == truth.probabilities)
            #expect(answer.charged == 0 && answer.channelID == nil)

            let catalog = try JSONDecoder().decode(ServedModelsView.self, from: Data(try await client.execute(uri: "/v1/models", method: .get).body.readableBytesView))
            #expect(catalog.models.map(\.id) == ["1.1"] && catalog.models[0].rowWidth == 30)
        }
    }

    @Test("a paid server answers a good voucher and refuses none, a replayed one or one above the deposit with 402")
    func payments() async throws {
        try await Self.app(try ServingFixtures.service()).test(.router) { client in
            let none = try await Self.predict(client)
            #expect(none.status.code == 402)
            #expect(try Self.error(none).name == "payment_required")
            let paid = try await Self.predict(client, voucher: try ServingFixtures.voucher(2))
            #expect(paid.status == .ok)
            #expect(try JSONDecoder().decode(PredictResponse.self, from: Data(paid.body.readableBytesView)).charged == 2)
            let replay = try await Self.predict(client, voucher: try ServingFixtures.voucher(2))
            #expect(replay.status.code == 402)
            #expect(try Self.error(replay).message.contains("used before"))
            let above = try await Self.predict(client, voucher: try ServingFixtures.voucher(10_002))
            #expect(above.status.code == 402)
            #expect(try Self.error(above).message.contains("above its deposit"))
            let unknown = try await Self.predict(client, voucher: try ServingFixtures.voucher(4, channel: 7))
            #expect(unknown.status.code == 402)
            #expect(try Self.error(unknown).message.contains("no payment channel 7"))
            #expect(try await client.execute(uri: "/v1/channels/1/covered", method: .get).status == .ok)
        }
    }

    @Test("rows of the wrong width, non-numbers, no rows and unknown models get a clear 400 or 404 and cost nothing")
    func badInput() async throws {
        try await Self.app(try ServingFixtures.service()).test(.router) { client in
            let narrow = try await Self.predict(client, body: #"{"inputs": [[1, 2, 3]]}"#, voucher: try ServingFixtures.voucher(2))
            #expect(narrow.status == .badRequest)
            #expect(try Self.error(narrow).message.contains("the model takes 30"))
            let notANumber = try await Self.predict(client, body: #"{"inputs": [[NaN]]}"#, voucher: try ServingFixtures.voucher(2))
            #expect(notANumber.status == .badRequest)
            let empty = try await Self.predict(client, body: #"{"inputs": []}"#, voucher: try ServingFixtures.voucher(2))
            #expect(empty.status == .badRequest)
            let unknown = try await Self.predict(client, model: "1.9", voucher: try ServingFixtures.voucher(2))
            #expect(unknown.status == .notFound)
            #expect(try Self.error(unknown).message.contains("it serves 1.1"))
            let garbage = try await Self.predict(client, body: #"{"inputs": "#, voucher: try ServingFixtures.voucher(2))
            #expect(garbage.status == .badRequest)
            // None of these was charged: the first paid request still needs only 2.
            #expect(try await Self.predict(client, voucher: try ServingFixtures.voucher(2)).status == .ok)
        }
    }

    @Test("a body above the server's limit is refused with 413 before it is read whole")
    func oversizedBody() async throws {
        try await Self.app(try ServingFixtures.service(), maxBodyBytes: 512).test(.router) { client in
            let rows = (0..<20).map { _ in ServingFixtures.row }
            let body = String(decoding: try JSONEncoder().encode(PredictRequest(inputs: rows)), as: UTF8.self)
            let response = try await Self.predict(client, body: body, voucher: try ServingFixtures.voucher(40))
            #expect(response.status == .contentTooLarge)
            #expect(try Self.error(response).name == "body_too_large")
        }
    }
}
