// POST /v1/models/{id}/predict with bodies the hand-written reader declines: JSONDecoder answers as it always did.

import APITypes
import DeAITesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Serving
import Testing

@Suite("Predict route bodies")
struct PredictRouteBodyTests {
    static let plain = #"{"inputs": [["# + ServingFixtures.row.map { "\($0)" }.joined(separator: ", ") + "]]}"

    @Test("a body the reader declines but JSONDecoder reads gets the same answer as the plain body")
    func declinedButValid() async throws {
        try await PredictRouteTests.app(try ServingFixtures.service(price: 0)).test(.router) { client in
            let plain = try await PredictRouteTests.predict(client, body: Self.plain)
            #expect(plain.status == .ok)
            let extraKey = try await PredictRouteTests.predict(client, body: #"{"comment": "x", "# + Self.plain.dropFirst())
            #expect(extraKey.status == .ok)
            let answers = try [plain, extraKey].map {
                try JSONDecoder().decode(PredictResponse.self, from: Data($0.body.readableBytesView))
            }
            #expect(answers[0].receipt.input == answers[1].receipt.input)
            #expect(answers[0].probabilities == answers[1].probabilities)
        }
    }

    @Test(
        "malformed bodies get JSONDecoder's 400 and message",
        arguments: [
            (#"{"inputs": [[1e400]]}"#, "not valid JSON"), (#"{"inputs": "rows"}"#, #""inputs" has the wrong type"#),
            ("not json", "not valid JSON"), (#"{"rows": [[1]]}"#, #""inputs" is missing"#),
            (#"{"inputs": [[1, null]]}"#, "inputs.0.1"),
        ])
    func malformed(body: String, message: String) async throws {
        try await PredictRouteTests.app(try ServingFixtures.service(price: 0)).test(.router) { client in
            let response = try await PredictRouteTests.predict(client, body: body)
            #expect(response.status == .badRequest)
            let error = try PredictRouteTests.error(response)
            #expect(error.name == "bad_body")
            #expect(error.message.contains(message), "\(error.message)")
        }
    }
}
