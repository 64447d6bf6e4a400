// PeerNetwork's blob exchange: fetching a blob from whichever peer holds it, and answering peers that ask.

import Consensus
public import DeAICore
import Synchronization

extension PeerNetwork {
    /// The blob whose bytes hash to `hash`, from the first linked peer that holds it: every linked peer is asked,
    /// the first answer that hashes to `hash` is returned, and anything else is ignored — a peer can withhold a
    /// blob but never substitute one. The peers that have not answered are asked again every
    /// ``blobRequestInterval`` (a request sent on a link that closed since is lost). `nil` when no peer is linked,
    /// every peer asked said it holds none, or `timeout` passed.
    public func fetchBlob(_ hash: SHA256Digest, timeout: Duration = .seconds(10)) async -> [UInt8]? {
        guard !self.table.withLock({ $0.links.isEmpty }) else { return nil }
        let (answers, answer) = AsyncStream.makeStream(of: [UInt8]?.self)
        let started = self.blobFetches.withLock { $0.wait(for: hash, answer: answer) }
        if started.askPeers { self.askAgain(for: hash) }
        let bytes = await withTaskGroup(of: [UInt8]??.self) { group in
            group.addTask { await answers.first { _ in true } }
            group.addTask {
                let deadline = ContinuousClock.now + timeout
                while ContinuousClock.now < deadline {
                    try? await Task.sleep(for: min(Self.blobRequestInterval, deadline - ContinuousClock.now))
                    guard !Task.isCancelled else { break }
                    self.askAgain(for: hash)
                }
                return nil
            }
            defer { group.cancelAll() }
            return await group.next() ?? nil
        }
        self.blobFetches.withLock { $0.stopWaiting(started.waiter, for: hash) }
        return bytes ?? nil
    }

    /// How long a fetch waits for an answer before asking the peers that have not answered again.
    static let blobRequestInterval: Duration = .seconds(2)

    /// Asks every linked peer that has not said it holds no `hash` for it, while the fetch lasts.
    private func askAgain(for hash: SHA256Digest) {
        let links = self.table.withLock { $0.links }
        let asked = self.blobFetches.withLock { $0.askAgain(hash, linked: Set(links.keys)) }
        let request = PeerMessage.blobRequest(hash).encoding
        for peer in asked { links[peer]?.outbound.yield(request) }
    }

    /// Hands bytes a peer sent to the fetches they answer; bytes nobody asked for (a late answer) are dropped.
    func receiveBlob(_ bytes: [UInt8]) {
        // Hashed outside the lock: a blob may be 64 MiB, and every fetch waits on the lock.
        let hash = SHA256Digest(hashing: bytes)
        for waiter in self.blobFetches.withLock({ $0.received(hash) }) {
            waiter.yield(bytes)
            waiter.finish()
        }
    }

    /// Notes that `peer` holds no blob `hash`, ending the fetch once no peer asked holds it.
    func receiveBlobMissing(_ hash: SHA256Digest, from peer: PeerID) {
        for waiter in self.blobFetches.withLock({ $0.missing(hash, at: peer) }) {
            waiter.yield(nil)
            waiter.finish()
        }
    }

    /// The answer to a peer's request for `hash`: the blob, or "not held" when this node has none or it is larger
    /// than a peer accepts in one frame.
    func answer(blobRequest hash: SHA256Digest) async -> PeerMessage {
        guard let bytes = await self.blobs?.blob(hash), bytes.count + 16 <= self.configuration.limits.blobFrameBytes else {
            return .blobMissing(hash)
        }
        return .blob(bytes)
    }
}
