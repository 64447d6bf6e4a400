// Node: fetching and storing blobs through NodeClient.

import APITypes
public import DeAICore
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension NodeClient {
    /// `GET /v1/blobs/{hash}`: the bytes the node serves for blob `hash`.
    ///
    /// The bytes are returned as received and **not verified** here: a node may be faulty or lying. Check that
    /// they hash to `hash`, or fetch through ``BlobExchange``, which does and tries other peers.
    /// - Throws: ``NodeClientError``; a node that does not hold the blob answers 404
    ///   (``NodeClientError/isNotFound``).
    public func getBlob(_ hash: SHA256Digest) async throws(NodeClientError) -> [UInt8] {
        let request = try self.request("GET", "/v1/blobs/\(hash)", query: [:], accept: "application/octet-stream")
        return [UInt8](try await self.perform(request))
    }

    /// `PUT /v1/blobs/{hash}`: stores `bytes` on the node under their SHA-256, which it returns.
    /// - Throws: ``NodeClientError``; a blob above the node's limit is refused with 413 (`body_too_large`).
    @discardableResult
    public func putBlob(_ bytes: [UInt8]) async throws(NodeClientError) -> SHA256Digest {
        let hash = SHA256Digest(hashing: bytes)
        var request = try self.request("PUT", "/v1/blobs/\(hash)", query: [:], accept: "application/json")
        request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(bytes)
        let stored = try Self.decode(BlobView.self, from: try await self.perform(request), request: request)
        guard stored.hash == hash else {
            throw .invalidResponse(
                request: Self.describe(request), reason: "the node stored the blob as \(stored.hash), not \(hash)"
            )
        }
        return hash
    }
}
