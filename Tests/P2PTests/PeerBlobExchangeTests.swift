// Blobs travel between peers by hash: fetched from whichever peer holds them, never accepted when the bytes do not
// hash to what was asked, and a fetch nobody can answer ends as soon as every peer said so.

import DeAICore
import P2P
import Testing

@Suite("Peer blob exchange", .timeLimit(.minutes(2)))
struct PeerBlobExchangeTests {
    /// Blobs held in memory; a lying one answers every request with the same bytes.
    struct Blobs: BlobSource {
        var held: [SHA256Digest: [UInt8]] = [:]
        var lie: [UInt8]?

        func blob(_ hash: SHA256Digest) async -> [UInt8]? { self.lie ?? self.held[hash] }
    }

    @Test("a node fetches a blob only its second peer holds, and a blob nobody holds ends without waiting out the timeout")
    func fetchFromWhoeverHoldsIt() async throws {
        let weights = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let hash = SHA256Digest(hashing: weights)
        let empty = try await PeerNetworkTests.start(1, blobs: Blobs())
        let holder = try await PeerNetworkTests.start(2, blobs: Blobs(held: [hash: weights]))
        let asker = try await PeerNetworkTests.start(3, peers: [empty.address, holder.address])
        defer { for node in [empty, holder, asker] { node.task.cancel() } }
        #expect(await PeerNetworkTests.eventually { asker.network.linkedPeers.count == 2 })

        #expect(await asker.network.fetchBlob(hash) == weights)
        let started = ContinuousClock.now
        #expect(await asker.network.fetchBlob(SHA256Digest(hashing: [1, 2, 3]), timeout: .seconds(30)) == nil)
        #expect(ContinuousClock.now - started < .seconds(5), "every peer said it holds none, yet the fetch waited")
    }

    @Test("bytes that do not hash to the blob asked for are never returned, whoever sends them")
    func lyingPeer() async throws {
        let weights: [UInt8] = Array(repeating: 7, count: 4_096)
        let liar = try await PeerNetworkTests.start(1, blobs: Blobs(lie: Array(repeating: 6, count: 4_096)))
        let asker = try await PeerNetworkTests.start(2, peers: [liar.address])
        defer { for node in [liar, asker] { node.task.cancel() } }
        #expect(await PeerNetworkTests.eventually { asker.network.linkedPeers.count == 1 })
        #expect(await asker.network.fetchBlob(SHA256Digest(hashing: weights), timeout: .seconds(1)) == nil)
    }

    @Test("with no peer linked a fetch returns nothing at once")
    func noPeers() async throws {
        let alone = try await PeerNetworkTests.start(1)
        defer { alone.task.cancel() }
        #expect(await alone.network.fetchBlob(SHA256Digest(hashing: [0]), timeout: .seconds(30)) == nil)
    }
}
