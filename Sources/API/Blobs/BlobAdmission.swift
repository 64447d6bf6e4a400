// API: which blobs a node stores, and collecting those the chain never names.

import APITypes
import Consensus
import DeAICore
import Foundation
import Ledger
import Storage

/// Decides which uploads the node's blob store takes, and deletes the blobs nobody needs (``BlobPolicy``).
///
/// Rules:
/// 1. **The chain's blobs are welcome.** A blob the chain names (``Ledger/LedgerState/referencedBlobs``) is
///    stored for anyone: refusing it would only hide data every participant needs.
/// 2. **Other blobs need stake.** A blob the chain does not name yet (an update before its reveal, an aggregate
///    before its attestation) is stored only when an account holding stake signed the upload
///    (``APITypes/BlobUploadSignature``), and counts against that account's quota until the chain names it or it
///    is collected. The quota grows with the account's stake at risk (``APITypes/BlobPolicy/quota(stake:)``):
///    creating accounts is free, stake is not, so filling a node takes stake however it is spread.
/// 3. **Unnamed blobs expire.** ``collect(now:)`` deletes every blob the chain does not name that was written more
///    than the grace period ago, and the temporary files of writes a crash interrupted.
/// 4. **The store is capped.** Nothing is stored past ``APITypes/BlobPolicy/maxTotalBytes``.
///
/// Quotas are kept in memory: after a restart, the blobs stored before count against nobody's quota, and are
/// collected by their files' age alone.
actor BlobAdmission {
    /// The store uploads go to.
    nonisolated let store: BlobStore
    /// The limits.
    nonisolated let policy: BlobPolicy
    private let chain: Chain
    /// Bytes on disk as of the last inventory, plus the writes finished since; `nil` until first needed.
    private var storedBytes: Int?
    /// Bytes reserved by writes in progress.
    private var writingBytes = 0
    /// The blobs each account stored that the chain did not name then, with their sizes and times.
    private var unnamed: [Address: [SHA256Digest: Upload]] = [:]
    /// The chain's blobs at the height they were listed at, listed again when the chain moves on.
    private var named: (height: Height, blobs: Set<SHA256Digest>)?

    private struct Upload {
        var bytes: Int
        var stored: Date
    }

    /// The account that answers for an upload the chain does not name, and its quota.
    struct Uploader: Sendable {
        let account: Address
        let quota: Int
    }

    /// An upload the admission took: release it with ``finish(_:stored:)`` once the write ended.
    struct Reservation: Sendable {
        let bytes: Int
        let uploader: Address?
        let blob: SHA256Digest
    }

    /// What one collection removed.
    struct Collection: Sendable, Hashable {
        /// Blobs deleted.
        var removed: Int
        /// Their bytes.
        var freedBytes: Int
    }

    /// An admission for `store` under `policy`, checking names and stakes against `chain`.
    init(store: BlobStore, policy: BlobPolicy, chain: Chain) {
        self.store = store
        self.policy = policy
        self.chain = chain
    }

    /// Who answers for an upload of blob `blob`: nobody (`nil`) when the chain names it, else the account that
    /// signed it with `signature`, which must hold stake, with its quota. Checked before the body is read.
    /// - Throws: ``APIError`` `.uploadNotAllowed` for a blob the chain does not name without a valid signature of
    ///   an account holding stake.
    func authorize(_ blob: SHA256Digest, signature: BlobUploadSignature?) async throws(APIError) -> Uploader? {
        let view = await self.chain.view
        guard !self.namedBlobs(in: view).contains(blob) else { return nil }
        return try self.stakedUploader(of: blob, signature: signature, state: view.state)
    }

    /// Reserves room for `bytes` bytes of blob `blob`, counted against `uploader`'s quota when it is given (see
    /// ``authorize(_:signature:)``).
    ///
    /// - Returns: A reservation of the bytes, to pass to ``finish(_:stored:)`` after the write.
    /// - Throws: ``APIError`` `.storageFull` past the store's cap; `.blobQuotaExceeded` when `uploader`'s unnamed
    ///   blobs would exceed its quota (`Retry-After`: when its oldest one expires).
    func reserve(
        _ blob: SHA256Digest, bytes: Int, uploader: Uploader?, now: Date = Date()
    ) throws(APIError) -> Reservation {
        guard try self.fits(bytes) else {
            throw APIError(
                .storageFull,
                "this node's blob store is full (\(self.policy.maxTotalBytes) bytes, blobs.max_total_bytes)")
        }
        if let uploader {
            try self.charge(uploader, blob: blob, bytes: bytes, named: self.named?.blobs ?? [], now: now)
        }
        self.writingBytes += bytes
        return Reservation(bytes: bytes, uploader: uploader?.account, blob: blob)
    }

    /// Ends `reservation`: its bytes count as stored when `stored`, else they and the quota charge are released.
    func finish(_ reservation: Reservation, stored: Bool) {
        self.writingBytes -= reservation.bytes
        if stored {
            self.storedBytes = (self.storedBytes ?? 0) + reservation.bytes
        } else if let uploader = reservation.uploader {
            self.unnamed[uploader]?[reservation.blob] = nil
        }
    }

    /// Whether a copy of `bytes` bytes fetched from a peer fits in the store; it is then counted as stored.
    func admitCopy(bytes: Int) -> Bool {
        guard (try? self.fits(bytes)) == true else { return false }
        self.storedBytes = (self.storedBytes ?? 0) + bytes
        return true
    }

    /// Deletes every blob the chain does not name whose file is older than the grace period, and the temporary
    /// files of writes abandoned as long ago; takes stock of the store's size again.
    /// - Throws: ``StorageError`` when the store cannot be listed.
    @discardableResult
    func collect(now: Date = Date()) async throws(StorageError) -> Collection {
        let named = self.namedBlobs(in: await self.chain.view)
        let cutoff = now.addingTimeInterval(-Double(self.policy.unreferencedGraceSeconds))
        var collection = Collection(removed: 0, freedBytes: 0)
        var kept = 0
        for entry in try self.store.inventory(removingWritesAbandonedBefore: cutoff) {
            if named.contains(entry.id) || entry.modified >= cutoff {
                kept += entry.bytes
                continue
            }
            do {
                try self.store.remove(entry.id)
                collection.removed += 1
                collection.freedBytes += entry.bytes
            } catch {
                kept += entry.bytes
            }
        }
        self.storedBytes = kept
        for account in self.unnamed.keys {
            self.unnamed[account] = self.unnamed[account]?.filter { !named.contains($0.key) && $0.value.stored >= cutoff }
        }
        self.unnamed = self.unnamed.filter { !$0.value.isEmpty }
        return collection
    }

    // MARK: - Rules

    /// The account that signed the upload of `blob`, when it holds stake, with its quota.
    private func stakedUploader(
        of blob: SHA256Digest, signature: BlobUploadSignature?, state: LedgerState
    ) throws(APIError) -> Uploader {
        guard let signature else {
            throw APIError(
                .uploadNotAllowed,
                "the chain does not name blob \(blob); publish it signed by an account holding stake "
                    + "(headers \(BlobUploadSignature.uploaderHeader) and \(BlobUploadSignature.signatureHeader))")
        }
        guard signature.isValid(for: blob, chainID: self.chain.chainID) else {
            throw APIError(
                .uploadNotAllowed,
                "\(BlobUploadSignature.signatureHeader) is not \(signature.uploader.address)'s signature of blob \(blob) "
                    + "on chain \(self.chain.chainID)")
        }
        let account = signature.uploader.address
        let stake = state.stakeAtRisk(of: account)
        guard stake > 0 else {
            throw APIError(
                .uploadNotAllowed,
                "account \(account) holds no stake, so it may only publish blobs the chain names; blob \(blob) is not one")
        }
        return Uploader(account: account, quota: self.policy.quota(stake: stake))
    }

    /// Counts `blob` against `uploader`'s quota of unnamed blobs, forgetting those the chain named since.
    private func charge(_ uploader: Uploader, blob: SHA256Digest, bytes: Int, named: Set<SHA256Digest>, now: Date) throws(APIError) {
        let account = uploader.account
        var uploads = (self.unnamed[account] ?? [:]).filter { !named.contains($0.key) }
        let used = uploads.values.reduce(0) { $0 + $1.bytes }
        guard used + bytes <= uploader.quota else {
            let oldest = uploads.values.map(\.stored).min() ?? now
            let expiry = oldest.addingTimeInterval(Double(self.policy.unreferencedGraceSeconds)).timeIntervalSince(now)
            throw APIError(
                .blobQuotaExceeded,
                "account \(account) has \(used) bytes of blobs the chain does not name yet on this node; "
                    + "\(bytes) more would exceed its quota of \(uploader.quota) "
                    + "(blobs.quota_bytes_per_stake per token at stake, at most blobs.quota_bytes_per_account)",
                retryAfterSeconds: max(1, Int(expiry.rounded(.up))))
        }
        uploads[blob] = Upload(bytes: bytes, stored: now)
        self.unnamed[account] = uploads
    }

    private func namedBlobs(in view: ChainView) -> Set<SHA256Digest> {
        if let named = self.named, named.height == view.height { return named.blobs }
        let blobs = view.state.referencedBlobs
        self.named = (view.height, blobs)
        return blobs
    }

    /// Whether `bytes` more fit under the store's cap, beside what is stored and being written.
    private func fits(_ bytes: Int) throws(APIError) -> Bool {
        try self.currentStoredBytes() + self.writingBytes + bytes <= self.policy.maxTotalBytes
    }

    private func currentStoredBytes() throws(APIError) -> Int {
        if let stored = self.storedBytes { return stored }
        do {
            let stored = try self.store.inventory().reduce(0) { $0 + $1.bytes }
            self.storedBytes = stored
            return stored
        } catch {
            throw APIError(.internalError, "the node could not take stock of its blob store")
        }
    }
}
