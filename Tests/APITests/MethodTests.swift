// APITests: HEAD wherever GET is served; a wrong method on a served path is 405 with Allow, not 404.

import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("HTTP methods")
struct MethodTests {
    @Test("HEAD answers as GET does, without a body")
    func head() async throws {
        try await TestNode.withNode { node in
            try await node.produceBlock()
            try await node.app().test(.router) { client in
                let get = try await client.execute(uri: "/v1/blocks/1", method: .get)
                let head = try await client.execute(uri: "/v1/blocks/1", method: .head)
                #expect(get.status == .ok)
                #expect(head.status == .ok)
                #expect(head.text.isEmpty)
                #expect(head.headers[.contentType] == get.headers[.contentType])
                #expect(try await client.execute(uri: "/v1/blocks/99", method: .head).status == .notFound)
            }
        }
    }

    @Test("a method a path does not serve is 405 with the Allow header; a path served for nothing is 404")
    func methodNotAllowed() async throws {
        try await TestNode.withNode { node in
            try await node.app().test(.router) { client in
                let wrong = try await client.execute(uri: "/v1/status", method: .post)
                try wrong.expectError(.methodNotAllowed, code: 1007, name: "method_not_allowed")
                #expect(wrong.headers[.allow] == "GET, HEAD")
                let delete = try await client.execute(uri: "/v1/txs", method: .delete)
                #expect(delete.status == .methodNotAllowed)
                #expect(delete.headers[.allow] == "POST")
                let blocks = try await client.execute(uri: "/v1/blocks/7", method: .put)
                #expect(blocks.headers[.allow] == "GET, HEAD")
                try await client.get("/v1/nothing/here").expectError(.notFound, code: 1001, name: "not_found")
            }
        }
    }
}
