// A participant's view of the network through one node's HTTP API.

import API
public import DeAICore
import Foundation
public import Ledger
import Storage

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// ``TrainingNetwork`` over a node's HTTP API: state entries read with `GET /v1/state/{key}` (long-polled for
/// changes), transactions signed with the participant's own key and sent with `POST /v1/txs`, blobs exchanged with
/// `GET`/`PUT /v1/blobs/{hash}` and kept in the participant's own blob store.
public final class HTTPTrainingNetwork: TrainingNetwork, Sendable {
    public let address: Address
    private let baseURL: String
    private let key: SigningKey
    private let chainID: String
    private let blobs: BlobStore
    private let nonces: NonceCounter
    private let session: URLSession

    /// A participant with `key` talking to the node at `nodeURL`, keeping blobs in `blobDirectory`.
    /// - Throws: ``StorageError`` when the blob directory cannot be created.
    public init(nodeURL: String, key: SigningKey, chainID: String, blobDirectory: String) throws {
        self.address = key.verifyingKey.address
        self.baseURL = nodeURL.hasSuffix("/") ? String(nodeURL.dropLast()) : nodeURL
        self.key = key
        self.chainID = chainID
        self.blobs = try BlobStore(directory: blobDirectory)
        self.nonces = NonceCounter()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 120
        self.session = URLSession(configuration: configuration)
    }

    // MARK: - State

    public func task(_ id: UInt64, after position: TaskPosition?) async throws -> TrainingTask {
        var known: StateEntryView?
        while true {
            let entry = try await self.entry(.task(id: id), changedFrom: known?.valueHash)
            guard let value = entry.value else {
                throw ParticipantError.unexpectedResponse(reason: "there is no task \(id)")
            }
            let task = try TrainingTask(canonicalEncoding: value.bytes)
            if position == nil || TaskPosition(task) != position { return task }
            known = entry
        }
    }

    public func round(taskID: UInt64, number: UInt32) async throws -> TrainingRound {
        guard let value = try await self.entry(.round(taskID: taskID, number: number), changedFrom: nil).value else {
            throw ParticipantError.unexpectedResponse(reason: "task \(taskID) has no round \(number)")
        }
        return try TrainingRound(canonicalEncoding: value.bytes)
    }

    /// The newest task posted by `sponsor`, waiting until one exists.
    public func awaitNewTask(sponsor: Address) async throws -> UInt64 {
        var id: UInt64 = 1
        while true {
            let entry = try await self.entry(.task(id: id), changedFrom: StateEntryView.valueHash(nil))
            guard let value = entry.value else { continue }
            let task = try TrainingTask(canonicalEncoding: value.bytes)
            if task.sponsor == sponsor, (try await self.entry(.task(id: id + 1), changedFrom: nil)).value == nil { return id }
            id += 1
        }
    }

    private func entry(_ key: StateKey, changedFrom hash: SHA256Digest?) async throws -> StateEntryView {
        var path = "/v1/state/\(key.bytes.hexString)"
        if let hash { path += "?changed_from=\(hash.hexString)&timeout_ms=30000" }
        return try await self.request("GET", path, as: StateEntryView.self)
    }

    // MARK: - Blobs

    public func fetchBlob(_ hash: SHA256Digest) async throws -> [UInt8] {
        if let local = try self.blobs.get(hash) { return local }
        let bytes = try await self.data("GET", "/v1/blobs/\(hash.hexString)", body: nil)
        return try self.blobs.get(try self.blobs.put(bytes, expecting: hash)) ?? bytes
    }

    public func publishBlob(_ bytes: [UInt8]) async throws -> SHA256Digest {
        let hash = try self.blobs.put(bytes)
        _ = try await self.data("PUT", "/v1/blobs/\(hash.hexString)", body: Data(bytes))
        return hash
    }

    // MARK: - Transactions

    public func send(_ payload: Payload) async throws {
        let nonce = try await self.nonces.next { try await self.request("GET", "/v1/accounts/\(self.address)", as: AccountView.self).nextNonce }
        let body = TransactionBody(chainID: self.chainID, sender: self.key.verifyingKey, nonce: nonce, fee: 1, payload: payload, memo: "")
        let transaction = try Transaction(signing: body, with: self.key)
        let request = SubmitRequest(transaction: transaction.canonicalEncoding)
        let result = try await self.request("POST", "/v1/txs", body: try JSONEncoder().encode(request), as: SubmitResult.self)
        if let error = result.error {
            await self.nonces.reset()
            throw ParticipantError.unexpectedResponse(reason: "the node refused \(payload.kind): \(error.message)")
        }
    }

    // MARK: - Plumbing

    private func request<Value: Decodable>(_ method: String, _ path: String, body: Data? = nil, as type: Value.Type) async throws -> Value {
        let data = try await self.data(method, path, body: body.map { $0 })
        do {
            return try JSONDecoder().decode(type, from: Data(data))
        } catch {
            throw ParticipantError.unexpectedResponse(reason: "\(method) \(path): \(error)")
        }
    }

    private func data(_ method: String, _ path: String, body: Data?) async throws -> [UInt8] {
        guard let url = URL(string: self.baseURL + path) else {
            throw ParticipantError.unexpectedResponse(reason: "\(self.baseURL + path) is not a URL")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let body {
            request.httpBody = body
            request.setValue(method == "PUT" ? "application/octet-stream" : "application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await self.session.data(for: request)
        guard let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status) else {
            let message = (try? JSONDecoder().decode(APIErrorBody.self, from: data))?.error.message ?? String(decoding: data, as: UTF8.self)
            throw ParticipantError.unexpectedResponse(reason: "\(method) \(path): \(message)")
        }
        return Array(data)
    }
}

/// The participant's next nonces: read from the node once, then counted locally.
private actor NonceCounter {
    private var next: UInt64?

    func next(fetch: () async throws -> UInt64) async throws -> UInt64 {
        let nonce: UInt64
        if let known = self.next {
            nonce = known
        } else {
            nonce = try await fetch()
        }
        self.next = nonce + 1
        return nonce
    }

    func reset() { self.next = nil }
}
