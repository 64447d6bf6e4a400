// APITests: JSON requests and responses.

import APITypes
import DeAICore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import Testing

extension TestClientProtocol {
    /// `GET uri`.
    func get(_ uri: String) async throws -> TestResponse {
        try await self.execute(uri: uri, method: .get)
    }

    /// `POST uri` with `body` as it is.
    func post(_ uri: String, body: String) async throws -> TestResponse {
        try await self.execute(
            uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)
        )
    }

    /// `POST uri` with `value` as JSON.
    func post(_ uri: String, json value: some Encodable) async throws -> TestResponse {
        try await self.post(uri, body: String(decoding: try JSONEncoder().encode(value), as: UTF8.self))
    }

    /// Submits one transaction to `POST /v1/txs`, with `query` appended.
    func submit(_ transaction: Transaction, query: String = "") async throws -> TestResponse {
        try await self.post("/v1/txs\(query)", json: SubmitRequest(transaction: transaction.canonicalEncoding))
    }
}

extension TestResponse {
    /// The body decoded from JSON.
    func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try JSONDecoder().decode(type, from: Data(self.body.readableBytesView))
    }

    /// The body as text.
    var text: String { String(buffer: self.body) }

    /// Expects an error response with `status`, and a JSON error body with `code` and `name`.
    func expectError(
        _ status: HTTPResponse.Status, code: UInt16, name: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(self.status == status, "body: \(self.text)", sourceLocation: sourceLocation)
        #expect(self.headers[.contentType] == "application/json; charset=utf-8", sourceLocation: sourceLocation)
        let body = try self.decode(APIErrorBody.self)
        #expect(body.error.code == code, sourceLocation: sourceLocation)
        #expect(body.error.name == name, sourceLocation: sourceLocation)
        #expect(!body.error.message.isEmpty, sourceLocation: sourceLocation)
    }
}
