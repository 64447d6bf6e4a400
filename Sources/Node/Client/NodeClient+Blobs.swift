// Node: fetching and storing blobs through NodeClient.

import APITypes
public import DeAICore
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Who signs the blobs a client publishes: an account's key, on one chain.
public struct BlobUploader: Sendable {
    /// The account's signing key; the account must hold stake for its unnamed blobs to be stored.
    public var key: SigningKey
    /// The chain the node serves.
    public var chainID: String

    /// An uploader signing with `key` for chain `chainID`.
    public init(key: SigningKey, chainID: String) {
        self.key = key
        self.chainID = chainID
    }
}

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
    ///
    /// A node stores a blob its chain does not name yet (an update before its reveal) only from an account holding
    /// stake: pass `uploader`, that account's key and the chain's ID, to sign the upload
    /// (``APITypes/BlobUploadSignature``). A blob the chain names needs no signature.
    /// - Throws: ``NodeClientError``; a blob above the node's limit is refused with 413 (`body_too_large`), an
    ///   unnamed one without a staked signer with 403 (`upload_not_allowed`), one past the signer's quota with
    ///   429 (`blob_quota_exceeded`), any when the node's store is full with 507 (`storage_full`).
    @discardableResult
    public func putBlob(_ bytes: [UInt8], uploader: BlobUploader? = nil) async throws(NodeClientError) -> SHA256Digest {
        let hash = SHA256Digest(hashing: bytes)
        var request = try self.request("PUT", "/v1/blobs/\(hash)", query: [:], accept: "application/json")
        request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        if let uploader, let signature = try? BlobUploadSignature(signing: hash, chainID: uploader.chainID, with: uploader.key) {
            let (key, value) = signature.headerValues
            request.setValue(key, forHTTPHeaderField: BlobUploadSignature.uploaderHeader)
            request.setValue(value, forHTTPHeaderField: BlobUploadSignature.signatureHeader)
        }
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
