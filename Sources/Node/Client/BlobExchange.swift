// Node: fetching blobs from peers and publishing them, verified against their hashes.

public import DeAICore
import Foundation
public import Storage

/// Moves content-addressed blobs (model weights, updates) between a local ``Storage/BlobStore`` and the blob
/// routes of peer nodes.
///
/// ```swift
/// let exchange = BlobExchange(store: store, peers: [try NodeClient(baseURL: "http://10.0.0.2:26657")])
/// let hash = try await exchange.publish(updateBytes)
/// let weights = try await exchange.fetch(task.model)
/// ```
///
/// Rules:
/// 1. **Nothing unverified is returned or stored.** A fetched blob is stored with
///    `BlobStore.put(_:expecting:)`, which refuses bytes that do not hash to the hash asked for; a peer that
///    serves such bytes is skipped and the next one is tried.
/// 2. **Peers are tried in order**, one at a time: the first that serves the right bytes wins. Put the peers
///    most likely to hold a blob (the node that announced it) first.
/// 3. **The local store is the cache.** A blob held locally is returned without asking any peer. Copies of
///    fetched and published blobs (unless ``keepsCopies`` is off) are
///    written as ``Storage/BlobStore/Durability/cached`` (no fsync): the peers that accepted or served a blob
///    hold it durably, and a local copy a crash tore no longer hashes to its name, so it is dropped and fetched
///    again.
///
/// Two concurrent fetches of the same missing blob both download it; storing it twice is harmless.
public actor BlobExchange {
    /// The local store.
    public nonisolated let store: BlobStore
    /// The peers, in the order they are tried.
    public private(set) var peers: [NodeClient]
    /// Whether fetched and published blobs are kept in the local store, for a node that serves them on;
    /// otherwise they are only verified and moved, for a participant that needs each blob once and whose peers
    /// hold what it publishes.
    public nonisolated let keepsCopies: Bool
    /// Who signs published blobs, so that peers store those their chain does not name yet; `nil` publishes
    /// unsigned, which peers accept only for blobs the chain names.
    public nonisolated let uploader: BlobUploader?

    /// An exchange over `store` and `peers`, signing what it publishes as `uploader`.
    public init(store: BlobStore, peers: [NodeClient], keepsCopies: Bool = true, uploader: BlobUploader? = nil) {
        self.store = store
        self.peers = peers
        self.keepsCopies = keepsCopies
        self.uploader = uploader
    }

    /// Replaces the peers (for example when the node learns of new ones).
    public func setPeers(_ peers: [NodeClient]) {
        self.peers = peers
    }

    /// The bytes of blob `hash`: the local copy, or else the first verified copy a peer serves, which is stored
    /// locally before it is returned when ``keepsCopies`` is on.
    ///
    /// - Throws: ``BlobExchangeError/unavailable(_:attempts:)`` with every peer's reason when no peer served
    ///   the right bytes; ``BlobExchangeError/localStore(_:)`` when the local store cannot be read or written.
    public func fetch(_ hash: SHA256Digest) async throws(BlobExchangeError) -> [UInt8] {
        do {
            if let bytes = try await self.store.load(hash) { return bytes }
        } catch where error.code == .blobHashMismatch {
            // A cached copy torn by a crash: drop it and fetch the blob again.
            do { try self.store.remove(hash) } catch { throw .localStore(error) }
        } catch {
            throw .localStore(error)
        }
        var attempts: [BlobExchangeError.Attempt] = []
        for peer in self.peers {
            let bytes: [UInt8]
            do {
                bytes = try await peer.getBlob(hash)
            } catch {
                let failure: BlobExchangeError.Attempt.Failure = error.isNotFound ? .notHeld : .failed(error)
                attempts.append(.init(peer: peer.baseURL.absoluteString, failure: failure))
                continue
            }
            do {
                if self.keepsCopies {
                    try await self.store.store(bytes, expecting: hash, durability: .cached)
                } else {
                    try self.store.check(bytes, expecting: hash)
                }
                return bytes
            } catch where error.code == .blobHashMismatch {
                let received = SHA256Digest(hashing: bytes)
                attempts.append(.init(peer: peer.baseURL.absoluteString, failure: .wrongBytes(received: received)))
            } catch where error.code == .blobTooLarge {
                attempts.append(.init(peer: peer.baseURL.absoluteString, failure: .tooLarge(bytes: bytes.count)))
            } catch {
                throw .localStore(error)
            }
        }
        throw .unavailable(hash, attempts: attempts)
    }

    /// Stores `bytes` locally (a cached copy, when ``keepsCopies`` is on), then uploads them to every peer, all
    /// at once; the peers that accept the blob hold it durably before they answer.
    ///
    /// - Returns: The blob's hash, the SHA-256 of `bytes`.
    /// - Throws: ``BlobExchangeError/localStore(_:)`` when the local store refuses the blob (nothing is
    ///   uploaded then); ``BlobExchangeError/uploadFailed(_:attempts:)`` naming the peers that did not take it —
    ///   the blob is stored locally and on every other peer.
    @discardableResult
    public func publish(_ bytes: [UInt8]) async throws(BlobExchangeError) -> SHA256Digest {
        let hash: SHA256Digest
        do {
            hash = self.keepsCopies
                ? try await self.store.store(bytes, durability: .cached) : try self.store.check(bytes)
        } catch {
            throw .localStore(error)
        }
        let (peers, uploader) = (self.peers, self.uploader)
        let failures = await withTaskGroup(of: (Int, NodeClientError?).self) { group in
            for (index, peer) in peers.enumerated() {
                group.addTask {
                    do throws(NodeClientError) {
                        try await peer.putBlob(bytes, uploader: uploader)
                        return (index, nil)
                    } catch {
                        return (index, error)
                    }
                }
            }
            var failures: [(Int, NodeClientError)] = []
            for await (index, error) in group { if let error { failures.append((index, error)) } }
            return failures.sorted { $0.0 < $1.0 }.map {
                BlobExchangeError.Attempt(peer: peers[$0.0].baseURL.absoluteString, failure: .failed($0.1))
            }
        }
        guard failures.isEmpty else { throw .uploadFailed(hash, attempts: failures) }
        return hash
    }
}
