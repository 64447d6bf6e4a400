// API: PUT and GET /v1/blobs/{hash} — content-addressed model weights and updates.

import APITypes
import DeAICore
import HTTPTypes
import Hummingbird
import NIOCore
import Storage

/// Storing and serving blobs by the SHA-256 of their bytes, so nodes can exchange weights and updates. A blob
/// the store lacks is looked for with ``fetchMissing`` (the node's peers), checked against its hash and kept.
struct BlobRoutes {
    let store: BlobStore
    /// Gets a blob from elsewhere by its hash; `nil` when nobody had it.
    let fetchMissing: (@Sendable (SHA256Digest) async -> [UInt8]?)?

    func register(on router: Router<BasicRequestContext>) {
        router.put("/v1/blobs/:hash") { request, context in
            try await self.put(request, context: context)
        }
        router.get("/v1/blobs/:hash") { _, context in
            try await self.get(context: context)
        }
    }

    /// `PUT /v1/blobs/{hash}`: stores the body when it hashes to `hash` — 201, or 200 when already held; 400 when
    /// the bytes hash to something else; 413 above the store's limit.
    private func put(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try context.digestParameter("hash")
        let body = try await request.boundedBody(maxBytes: self.store.maxBlobBytes)
        let alreadyHeld = self.store.contains(id)
        do {
            try await self.store.store(Array(body.readableBytesView), expecting: id)
        } catch where error.code == .blobHashMismatch {
            throw APIError(.badBody, error.message)
        }
        return try JSONResponse.make(BlobView(hash: id, bytes: body.readableBytes), status: alreadyHeld ? .ok : .created)
    }

    /// `GET /v1/blobs/{hash}`: the blob's bytes (`application/octet-stream`), verified against `hash`, from the
    /// store or else from ``fetchMissing``; 404 if neither has it.
    private func get(context: BasicRequestContext) async throws -> Response {
        let id = try context.digestParameter("hash")
        var bytes = try await self.store.load(id)
        if bytes == nil { bytes = try await self.fetched(id) }
        guard let bytes else {
            throw APIError(.notFound, "this node holds no blob \(id)\(self.fetchMissing == nil ? "" : ", nor do its peers")")
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        headers[.contentLength] = String(bytes.count)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The blob from ``fetchMissing``, once stored (which checks that it hashes to `id`).
    private func fetched(_ id: SHA256Digest) async throws -> [UInt8]? {
        guard let fetch = self.fetchMissing, let bytes = await fetch(id) else { return nil }
        try await self.store.store(bytes, expecting: id)
        return bytes
    }
}
