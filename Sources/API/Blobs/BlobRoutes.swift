// API: PUT and GET /v1/blobs/{hash} — content-addressed model weights and updates.

import APITypes
import DeAICore
import HTTPTypes
import Hummingbird
import NIOCore
import Storage

/// Storing and serving blobs by the SHA-256 of their bytes, so nodes can exchange weights and updates. What an
/// upload may store is ``BlobAdmission``'s to decide. A blob the store lacks is looked for with ``fetchMissing``
/// (the node's peers), checked against its hash and kept while the store has room.
struct BlobRoutes {
    let admission: BlobAdmission
    /// Gets a blob from elsewhere by its hash; `nil` when nobody had it.
    let fetchMissing: (@Sendable (SHA256Digest) async -> [UInt8]?)?

    private var store: BlobStore { self.admission.store }

    func register(on router: Router<APIRequestContext>) {
        router.put("/v1/blobs/:hash") { request, context in
            try await self.put(request, context: context)
        }
        router.get("/v1/blobs/:hash") { _, context in
            try await self.get(context: context)
        }
    }

    /// `PUT /v1/blobs/{hash}`: stores the body when it hashes to `hash` and ``BlobAdmission`` takes it — 201, or
    /// 200 when already held; 400 when the bytes hash to something else; 403 for a blob the chain does not name,
    /// unsigned by an account holding stake; 413 above the store's blob limit; 429 past the uploader's quota; 507
    /// when the store is full.
    private func put(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try context.digestParameter("hash")
        let alreadyHeld = self.store.contains(id)
        let uploader = alreadyHeld
            ? nil : try await self.admission.authorize(id, signature: try Self.uploadSignature(in: request.headers))
        let body = Array(try await request.boundedBody(maxBytes: self.store.maxBlobBytes).readableBytesView)
        let reservation = alreadyHeld ? nil : try await self.admission.reserve(id, bytes: body.count, uploader: uploader)
        do {
            try await self.store.store(body, expecting: id)
            if let reservation { await self.admission.finish(reservation, stored: true) }
        } catch {
            if let reservation { await self.admission.finish(reservation, stored: false) }
            guard error.code == .blobHashMismatch else { throw error }
            throw APIError(.badBody, error.message)
        }
        return try JSONResponse.make(BlobView(hash: id, bytes: body.count), status: alreadyHeld ? .ok : .created)
    }

    /// `GET /v1/blobs/{hash}`: the blob's bytes (`application/octet-stream`), verified against `hash`, from the
    /// store or else from ``fetchMissing``; 404 if neither has it.
    private func get(context: APIRequestContext) async throws -> Response {
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

    /// The blob from ``fetchMissing`` once it hashes to `id`, kept in the store when it has room.
    private func fetched(_ id: SHA256Digest) async throws -> [UInt8]? {
        guard let fetch = self.fetchMissing, let bytes = await fetch(id) else { return nil }
        // Storing checks the hash; a copy the store has no room for is checked alone.
        if await self.admission.admitCopy(bytes: bytes.count) {
            try await self.store.store(bytes, expecting: id, durability: .cached)
        } else {
            try self.store.check(bytes, expecting: id)
        }
        return bytes
    }

    /// The upload's signature headers, `nil` when neither is sent.
    /// - Throws: ``APIError`` `.uploadNotAllowed` when only one is sent or either is not hex of the right length.
    private static func uploadSignature(in headers: HTTPFields) throws(APIError) -> BlobUploadSignature? {
        let uploader = HTTPField.Name(BlobUploadSignature.uploaderHeader).flatMap { headers[$0] }
        let signature = HTTPField.Name(BlobUploadSignature.signatureHeader).flatMap { headers[$0] }
        if uploader == nil, signature == nil { return nil }
        guard let uploader, let signature, let parsed = BlobUploadSignature(uploader: uploader, signature: signature) else {
            throw APIError(
                .uploadNotAllowed,
                "\(BlobUploadSignature.uploaderHeader) and \(BlobUploadSignature.signatureHeader) must both be sent, "
                    + "a public key in 64 hex digits and an Ed25519 signature in 128")
        }
        return parsed
    }
}
