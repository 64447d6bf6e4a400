// APITests: PUT and GET /v1/blobs/{hash}.

import APITypes
import DeAICore
import DeAITesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
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
                let stored = try await client.put(bytes, signedBy: TestNode.validator)
                #expect(stored.status == .created)
                #expect(try stored.decode(BlobView.self) == BlobView(hash: id, bytes: bytes.count))
                let again = try await client.put(bytes, signedBy: TestNode.validator)
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
                try await client.put(Array("a lie".utf8), as: claimed, signedBy: TestNode.validator)
                    .expectError(.badRequest, code: 1004, name: "bad_body")
                #expect(!store.contains(claimed))
                try await client.get("/v1/blobs/\(claimed)").expectError(.notFound, code: 1001, name: "not_found")
                try await client.put([UInt8](repeating: 1, count: 65), signedBy: TestNode.validator)
                    .expectError(.contentTooLarge, code: 1005, name: "body_too_large")
                try await client.get("/v1/blobs/not-a-hash").expectError(.badRequest, code: 1002, name: "bad_path")
            }
        }
    }

    @Test("a blob the chain does not name needs a staked signer of this blob on this chain; the chain's blobs need none")
    func admission() async throws {
        try await Self.withStore(maxBlobBytes: 1 << 20) { node, store in
            try await node.app(blobs: store).test(.router) { client in
                let update = Array("an update before its reveal".utf8)
                let id = SHA256Digest(hashing: update)
                let other = SHA256Digest(hashing: Array("another blob".utf8))
                let refused: [(String, HTTPFields)] = [
                    ("unsigned", [:]),
                    ("signed by an account without stake", try Self.headers(id, key: TestNode.alice)),
                    ("a signature of another blob", try Self.headers(other, key: TestNode.validator)),
                    ("a signature on another chain", try Self.headers(id, key: TestNode.validator, chainID: "other-chain")),
                    ("one header only", [HTTPField.Name(BlobUploadSignature.uploaderHeader)!: "00"]),
                ]
                for (why, headers) in refused {
                    let response = try await client.execute(
                        uri: "/v1/blobs/\(id)", method: .put, headers: headers, body: ByteBuffer(bytes: update))
                    #expect(response.status == .forbidden, "\(why)")
                    try response.expectError(.forbidden, code: 1008, name: "upload_not_allowed")
                }
                #expect(!store.contains(id))

                // A task names its initial model: the sponsor uploads it unsigned once the task is posted.
                let model = Array("initial weights".utf8)
                var spec = TrainingFixtures.spec()
                spec.initialModel = SHA256Digest(hashing: model)
                try await node.commit(.createTask(spec), from: TestNode.alice)
                #expect(try await client.put(model).status == .created)
            }
        }
    }

    @Test("a staked account's unnamed blobs stay within its quota, and the store within its cap")
    func quotaAndCap() async throws {
        try await Self.withStore(maxBlobBytes: 1 << 20) { node, store in
            let policy = BlobPolicy(
                quotaBytesPerAccount: 100, quotaBytesPerStake: 1, maxTotalBytes: 250, unreferencedGraceSeconds: 600)
            try await node.app(configuration: APIConfiguration(blobs: policy), blobs: store).test(.router) { client in
                let first = [UInt8](repeating: 1, count: 60)
                #expect(try await client.put(first, signedBy: TestNode.validator).status == .created)
                let second = [UInt8](repeating: 2, count: 50)
                let overQuota = try await client.put(second, signedBy: TestNode.validator)
                try overQuota.expectError(.tooManyRequests, code: 1105, name: "blob_quota_exceeded")
                let retryAfter = try #require(overQuota.headers[.retryAfter].flatMap(Int.init))
                #expect((590...600).contains(retryAfter), "the oldest unnamed blob expires in about 600 s")

                // Blobs the chain names count against nobody's quota, but against the store's cap.
                let model = [UInt8](repeating: 3, count: 150)
                var spec = TrainingFixtures.spec()
                spec.initialModel = SHA256Digest(hashing: model)
                try await node.commit(.createTask(spec), from: TestNode.alice)
                #expect(try await client.put(model).status == .created)
                try await client.put([UInt8](repeating: 4, count: 41), signedBy: TestNode.validator)
                    .expectError(HTTPResponse.Status(code: 507), code: 1106, name: "storage_full")
                #expect(try store.inventory().map(\.bytes).sorted() == [60, 150])
            }
        }
    }

    @Test("an account's quota is its stake at risk times blobs.quota_bytes_per_stake, up to blobs.quota_bytes_per_account")
    func quotaFollowsStake() async throws {
        #expect(BlobPolicy(quotaBytesPerAccount: 1_000, quotaBytesPerStake: 3).quota(stake: 200) == 600)
        #expect(BlobPolicy(quotaBytesPerAccount: 1_000, quotaBytesPerStake: 3).quota(stake: 400) == 1_000)
        #expect(BlobPolicy(quotaBytesPerAccount: 1_000, quotaBytesPerStake: 1 << 40).quota(stake: .max) == 1_000)
        try await TrainingRun.withTask(through: .enrolled) { node in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deai-blobs-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let store = try BlobStore(directory: directory)
            // A trainer of the task has 200 tokens at stake: 2 bytes each, 400 bytes.
            let policy = BlobPolicy(quotaBytesPerAccount: 1 << 20, quotaBytesPerStake: 2)
            try await node.app(configuration: APIConfiguration(blobs: policy), blobs: store).test(.router) { client in
                let trainer = TrainingRun.trainers[0]
                #expect(try await client.put([UInt8](repeating: 1, count: 300), signedBy: trainer).status == .created)
                try await client.put([UInt8](repeating: 2, count: 101), signedBy: trainer)
                    .expectError(.tooManyRequests, code: 1105, name: "blob_quota_exceeded")
                #expect(try await client.put([UInt8](repeating: 3, count: 100), signedBy: trainer).status == .created)
            }
        }
    }

    @Test("a blob the chain does not name is deleted once its grace period ends; the chain's blobs are kept")
    func collection() async throws {
        try await Self.withStore(maxBlobBytes: 1 << 20) { node, store in
            let policy = BlobPolicy(unreferencedGraceSeconds: 1)
            try await node.app(configuration: APIConfiguration(port: 0, blobs: policy), blobs: store).test(.live) { client in
                let model = Array("weights the chain names".utf8)
                var spec = TrainingFixtures.spec()
                spec.initialModel = SHA256Digest(hashing: model)
                try await node.commit(.createTask(spec), from: TestNode.alice)
                #expect(try await client.put(model).status == .created)
                let withheld = Array("an update never revealed".utf8)
                #expect(try await client.put(withheld, signedBy: TestNode.validator).status == .created)

                let deadline = ContinuousClock.now + .seconds(10)
                while store.contains(SHA256Digest(hashing: withheld)), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                }
                try await client.get("/v1/blobs/\(SHA256Digest(hashing: withheld))")
                    .expectError(.notFound, code: 1001, name: "not_found")
                #expect(try await client.get("/v1/blobs/\(SHA256Digest(hashing: model))").status == .ok)
            }
        }
    }

    /// The signature headers of `key`'s upload of `blob`.
    static func headers(_ blob: SHA256Digest, key: SigningKey, chainID: String = TestNode.chainID) throws -> HTTPFields {
        let (uploader, signature) = try BlobUploadSignature(signing: blob, chainID: chainID, with: key).headerValues
        return [
            HTTPField.Name(BlobUploadSignature.uploaderHeader)!: uploader,
            HTTPField.Name(BlobUploadSignature.signatureHeader)!: signature,
        ]
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

extension TestClientProtocol {
    /// `PUT /v1/blobs/{hash}` of `bytes` under `hash` (their SHA-256 unless given), signed by `key` when given.
    fileprivate func put(_ bytes: [UInt8], as hash: SHA256Digest? = nil, signedBy key: SigningKey? = nil) async throws -> TestResponse {
        let hash = hash ?? SHA256Digest(hashing: bytes)
        let headers = try key.map { try BlobRoutesTests.headers(hash, key: $0) } ?? [:]
        return try await self.execute(uri: "/v1/blobs/\(hash)", method: .put, headers: headers, body: ByteBuffer(bytes: bytes))
    }
}
