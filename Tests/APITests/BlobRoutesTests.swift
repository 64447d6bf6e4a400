// APITests: PUT and GET /v1/blobs/{hash}.

import APITypes
import DeAICore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Storage
import Testing

@Suite("PUT and GET /v1/blobs")
struct BlobRoutesTests {
    @Test("a blob put under its SHA-256 is served back byte for byte; a second put is a 200")
    func roundTrip() async throws {
        try await Self.withStore(maxBlobBytes: 1 << 20) { node, store in
            try await node.app(blobs: store).test(.router) { client in
                let bytes = (0..<5_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
                let id = SHA256Digest(hashing: bytes)
                let stored = try await client.execute(uri: "/v1/blobs/\(id)", method: .put, body: ByteBuffer(bytes: bytes))
                #expect(stored.status == .created)
                #expect(try stored.decode(BlobView.self) == BlobView(hash: id, bytes: bytes.count))
                let again = try await client.execute(uri: "/v1/blobs/\(id)", method: .put, body: ByteBuffer(bytes: bytes))
                #expect(again.status == .ok)
                let served = try await client.get("/v1/blobs/\(id)")
                #expect(served.status == .ok)
                #expect(served.headers[.contentType] == "application/octet-stream")
                #expect(Array(served.body.readableBytesView) == bytes)
            }
        }
    }

    @Test("bytes that do not hash to the path are a 400, an unknown blob a 404, an oversized one a 413")
    func refusals() async throws {
        try await Self.withStore(maxBlobBytes: 64) { node, store in
            try await node.app(blobs: store).test(.router) { client in
                let claimed = SHA256Digest(hashing: Array("expected".utf8))
                try await client.execute(uri: "/v1/blobs/\(claimed)", method: .put, body: ByteBuffer(string: "a lie"))
                    .expectError(.badRequest, code: 1004, name: "bad_body")
                #expect(!store.contains(claimed))
                try await client.get("/v1/blobs/\(claimed)").expectError(.notFound, code: 1001, name: "not_found")
                let big = [UInt8](repeating: 1, count: 65)
                try await client.execute(uri: "/v1/blobs/\(SHA256Digest(hashing: big))", method: .put, body: ByteBuffer(bytes: big))
                    .expectError(.contentTooLarge, code: 1005, name: "body_too_large")
                try await client.get("/v1/blobs/not-a-hash").expectError(.badRequest, code: 1002, name: "bad_path")
            }
        }
    }

    private static func withStore(
        maxBlobBytes: Int, _ body: (TestNode, BlobStore) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deai-blobs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try BlobStore(directory: directory, maxBlobBytes: maxBlobBytes)
        try await TestNode.withNode { node in try await body(node, store) }
    }
}
