// A participant's view of the network through one node's HTTP API.

import APITypes
public import DeAICore
public import Ledger
import Node
import Storage

/// ``TrainingNetwork`` over a node's HTTP API (``Node/NodeClient``): state entries read with `GET /v1/state/{key}`
/// (long-polled for changes), transactions signed with the participant's own key and paying the chain's minimum
/// fee, each sent until a block holds it (``Node/NodeClient/deliver(_:timeout:resubmitInterval:)``), and blobs exchanged through a ``Node/BlobExchange`` over the participant's own blob store.
public final class HTTPTrainingNetwork: TrainingNetwork, Sendable {
    public let address: Address
    private let client: NodeClient
    private let blobs: BlobExchange
    private let key: SigningKey
    /// The participant's key for sealed updates, derived from its signing key.
    public let sealingKey: SealingKey
    private let chainID: String
    private let sender = SenderState()

    /// A participant with `key` talking to the node at `nodeURL`, keeping blobs in `blobDirectory`.
    /// - Throws: ``Node/NodeClientError`` for a bad URL, ``Storage/StorageError`` when the blob directory cannot
    ///   be created.
    public init(nodeURL: String, key: SigningKey, chainID: String, blobDirectory: String) throws {
        self.address = key.verifyingKey.address
        self.client = try NodeClient(baseURL: nodeURL)
        // A participant needs each model and update once, and the node holds what it publishes: no local copies.
        // It signs what it publishes: the node stores an update before its reveal only from a staked member.
        self.blobs = BlobExchange(
            store: try BlobStore(directory: blobDirectory), peers: [self.client], keepsCopies: false,
            uploader: BlobUploader(key: key, chainID: chainID))
        self.key = key
        self.sealingKey = key.sealingKey
        self.chainID = chainID
    }

    // MARK: - State

    public func task(_ id: UInt64, after position: TaskPosition?) async throws -> TrainingTask {
        var seen: SHA256Digest?
        while true {
            let entry = try await self.client.stateEntry(.task(id: id), changedFrom: seen)
            guard let value = entry.value else { throw ParticipantError.unexpectedResponse(reason: "there is no task \(id)") }
            let task = try TrainingTask(canonicalEncoding: value.bytes)
            if position == nil || TaskPosition(task) != position { return task }
            seen = entry.valueHash
        }
    }

    public func round(taskID: UInt64, number: UInt32) async throws -> TrainingRound {
        guard let value = try await self.client.stateEntry(.round(taskID: taskID, number: number)).value else {
            throw ParticipantError.unexpectedResponse(reason: "task \(taskID) has no round \(number)")
        }
        return try TrainingRound(canonicalEncoding: value.bytes)
    }

    public func standing(taskID: UInt64, round: UInt32) async throws -> RoundStanding {
        try await self.client.roundStanding(task: taskID, number: round, member: self.address).standing
    }

    /// The newest task posted by `sponsor`, waiting block by block until there is one.
    public func newestTask(sponsoredBy sponsor: Address) async throws -> UInt64 {
        var globals: SHA256Digest?
        while true {
            if let task = try await self.client.tasks().tasks.last(where: { $0.sponsor == sponsor }) { return task.id }
            globals = try await self.client.stateEntry(.globals, changedFrom: globals).valueHash
        }
    }

    // MARK: - Blobs

    public func fetchBlob(_ hash: SHA256Digest) async throws -> [UInt8] {
        try await self.blobs.fetch(hash)
    }

    public func publishBlob(_ bytes: [UInt8]) async throws -> SHA256Digest {
        try await self.blobs.publish(bytes)
    }

    // MARK: - Transactions

    public func send(_ payload: Payload) async throws {
        let (nonce, fee) = try await self.sender.next {
            (try await self.client.account(self.address).nextNonce, try await self.client.parameters().parameters.minimumFee)
        }
        let body = TransactionBody(chainID: self.chainID, sender: self.key.verifyingKey, nonce: nonce, fee: fee, payload: payload, memo: "")
        let receipt: ReceiptView
        do {
            receipt = try await self.client.deliver(try Transaction(signing: body, with: self.key))
        } catch {
            await self.sender.reset()
            throw ParticipantError.unexpectedResponse(reason: "\(payload.kind) was not committed: \(error)")
        }
        guard receipt.success else {
            throw ParticipantError.transactionFailed(kind: payload.kind, height: receipt.height, reason: receipt.message)
        }
    }

    public func salt(taskID: UInt64, round: UInt32, purpose: String) -> [UInt8] {
        RoundCommitment.salt(secret: self.key.rawRepresentation, taskID: taskID, round: round, purpose: purpose)
    }
}

/// The participant's next nonce and the fee it pays: read from the node once (the account's next nonce, the
/// chain's minimum fee), then the nonce is counted locally; both are read again after a refusal.
private actor SenderState {
    private var next: (nonce: UInt64, fee: Amount)?

    func next(fetch: () async throws -> (nonce: UInt64, fee: Amount)) async throws -> (nonce: UInt64, fee: Amount) {
        let current: (nonce: UInt64, fee: Amount)
        if let known = self.next {
            current = known
        } else {
            current = try await fetch()
        }
        self.next = (current.nonce + 1, current.fee)
        return current
    }

    func reset() { self.next = nil }
}
