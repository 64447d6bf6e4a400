// BlobFetches: the blob requests a node has sent and not yet had answered.

import Consensus
import DeAICore

/// The blobs this node asked its peers for, each with who was asked, who said it has none, and the callers waiting.
/// A fetch ends with the first bytes that hash to the blob, or with `nil` once every peer asked has said it holds
/// none (or the caller's timeout passes).
struct BlobFetches {
    /// One blob being fetched.
    private struct Fetch {
        var asked: Set<PeerID> = []
        var missingFrom: Set<PeerID> = []
        var waiters: [UInt64: AsyncStream<[UInt8]?>.Continuation] = [:]
    }

    private var pending: [SHA256Digest: Fetch] = [:]
    private var nextWaiter: UInt64 = 0

    /// Adds a caller waiting for `hash`; returns its identifier, and whether the peers must be asked (no fetch of
    /// `hash` was under way).
    mutating func wait(for hash: SHA256Digest, answer: AsyncStream<[UInt8]?>.Continuation) -> (waiter: UInt64, askPeers: Bool) {
        self.nextWaiter += 1
        let isNew = self.pending[hash] == nil
        self.pending[hash, default: Fetch()].waiters[self.nextWaiter] = answer
        return (self.nextWaiter, isNew)
    }

    /// The peers of `linked` to ask (again) for `hash`: those that have not said they hold none. They count as
    /// asked from now on. Empty when the fetch ended.
    mutating func askAgain(_ hash: SHA256Digest, linked: Set<PeerID>) -> Set<PeerID> {
        guard var fetch = self.pending[hash] else { return [] }
        fetch.asked.formUnion(linked)
        self.pending[hash] = fetch
        return linked.subtracting(fetch.missingFrom)
    }

    /// Removes a caller that stopped waiting; the fetch ends when it was the last.
    mutating func stopWaiting(_ waiter: UInt64, for hash: SHA256Digest) {
        self.pending[hash]?.waiters[waiter] = nil
        if self.pending[hash]?.waiters.isEmpty == true { self.pending[hash] = nil }
    }

    /// Ends the fetch of `hash` (bytes that hash to it arrived), if any; returns the callers to hand them to.
    mutating func received(_ hash: SHA256Digest) -> [AsyncStream<[UInt8]?>.Continuation] {
        self.pending.removeValue(forKey: hash).map { Array($0.waiters.values) } ?? []
    }

    /// Notes that `peer` holds no blob `hash`; once every peer asked said so, ends the fetch and returns its callers.
    mutating func missing(_ hash: SHA256Digest, at peer: PeerID) -> [AsyncStream<[UInt8]?>.Continuation] {
        guard var fetch = self.pending[hash], fetch.asked.contains(peer) else { return [] }
        fetch.missingFrom.insert(peer)
        guard fetch.missingFrom == fetch.asked else {
            self.pending[hash] = fetch
            return []
        }
        self.pending[hash] = nil
        return Array(fetch.waiters.values)
    }
}
