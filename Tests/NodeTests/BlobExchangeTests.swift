// NodeTests: BlobExchange against real API servers and a lying peer over loopback.

import DeAICore
import Foundation
import Node
import Storage
import Testing

@Suite("BlobExchange over loopback")
struct BlobExchangeTests {
    private static let weights: [UInt8] = Array("the weights of version 1".utf8)
    private static let hash = SHA256Digest(hashing: Self.weights)

    @Test("a blob held locally is returned without asking any peer")
    func local() async throws {
        try await LiveChain.with { live in
            let store = try live.blobStore("local")
            try store.put(Self.weights)
            let unreachable = try NodeClient(baseURL: "http://127.0.0.1:1", timeout: .seconds(5))
            let exchange = BlobExchange(store: store, peers: [unreachable])
            #expect(try await exchange.fetch(Self.hash) == Self.weights)
        }
    }

    @Test("a blob is fetched from the first peer that holds it, verified and stored")
    func fromSecondPeer() async throws {
        try await LiveChain.with { live in
            let (empty, holder) = (try live.blobStore("empty"), try live.blobStore("holder"))
            try holder.put(Self.weights)
            try await live.serving(blobStores: [empty, holder]) { peers in
                let local = try live.blobStore("local")
                let exchange = BlobExchange(store: local, peers: peers)
                #expect(try await exchange.fetch(Self.hash) == Self.weights)
                #expect(try local.get(Self.hash) == Self.weights)
                #expect(!empty.contains(Self.hash))
            }
        }
    }

    @Test("a lying peer's bytes are refused and the next peer is tried")
    func lyingPeerThenHonest() async throws {
        try await LiveChain.with { live in
            let holder = try live.blobStore("holder")
            try holder.put(Self.weights)
            try await live.serving(blobStores: [holder], liars: 1) { clients in
                let (honest, liar) = (clients[0], clients[1])
                #expect(try await liar.getBlob(Self.hash) == Array(LyingBlobServer.text.utf8))
                let local = try live.blobStore("local")
                let exchange = BlobExchange(store: local, peers: [liar, honest])
                #expect(try await exchange.fetch(Self.hash) == Self.weights)
                #expect(try local.get(Self.hash) == Self.weights)
            }
        }
    }

    @Test("when every peer lies or lacks the blob, the error names each one and nothing is stored")
    func unavailable() async throws {
        try await LiveChain.with { live in
            try await live.serving(blobStores: [try live.blobStore("empty")], liars: 1) { clients in
                let local = try live.blobStore("local")
                let exchange = BlobExchange(store: local, peers: [clients[1], clients[0]])
                let error = await #expect(throws: BlobExchangeError.self) { try await exchange.fetch(Self.hash) }
                guard case .unavailable(let hash, let attempts) = error else {
                    Issue.record("expected unavailable, got \(String(describing: error))")
                    return
                }
                #expect(hash == Self.hash)
                #expect(attempts.map(\.peer) == [clients[1], clients[0]].map(\.baseURL.absoluteString))
                guard case .wrongBytes(let received) = attempts[0].failure, case .notHeld = attempts[1].failure else {
                    Issue.record("expected a lying peer then a peer without the blob: \(attempts)")
                    return
                }
                #expect(received == SHA256Digest(hashing: Array(LyingBlobServer.text.utf8)))
                #expect(!local.contains(Self.hash))
                let text = error?.description ?? ""
                #expect(text.contains("lying peer") && text.contains("does not hold it"), "\(text)")
            }
        }
    }

    @Test("an unreachable peer is skipped; with no peers at all the error says so")
    func unreachableAndNoPeers() async throws {
        try await LiveChain.with { live in
            let holder = try live.blobStore("holder")
            try holder.put(Self.weights)
            try await live.serving(blobStores: [holder]) { clients in
                let down = try NodeClient(baseURL: "http://127.0.0.1:1", timeout: .seconds(5))
                let exchange = BlobExchange(store: try live.blobStore("local"), peers: [down, clients[0]])
                #expect(try await exchange.fetch(Self.hash) == Self.weights)
            }
            let lonely = BlobExchange(store: try live.blobStore("lonely"), peers: [])
            let error = await #expect(throws: BlobExchangeError.self) { try await lonely.fetch(Self.hash) }
            #expect(error?.description.contains("no peers") == true)
        }
    }

    @Test("publish stores locally and on every peer; a peer that cannot take it is named")
    func publish() async throws {
        try await LiveChain.with { live in
            let (first, second) = (try live.blobStore("first"), try live.blobStore("second"))
            try await live.serving(blobStores: [first, second]) { peers in
                let local = try live.blobStore("local")
                let exchange = BlobExchange(store: local, peers: peers, uploader: LiveChain.stakedUploader)
                #expect(try await exchange.publish(Self.weights) == Self.hash)
                #expect(local.contains(Self.hash) && first.contains(Self.hash) && second.contains(Self.hash))

                let down = try NodeClient(baseURL: "http://127.0.0.1:1", timeout: .seconds(5))
                await exchange.setPeers([down, peers[0]])
                let other: [UInt8] = Array("the weights of version 2".utf8)
                let error = await #expect(throws: BlobExchangeError.self) { try await exchange.publish(other) }
                guard case .uploadFailed(let hash, let attempts) = error else {
                    Issue.record("expected uploadFailed, got \(String(describing: error))")
                    return
                }
                #expect(hash == SHA256Digest(hashing: other))
                #expect(attempts.map(\.peer) == ["http://127.0.0.1:1"])
                #expect(local.contains(hash) && first.contains(hash))
            }
        }
    }

    @Test("peers refuse a blob their chain does not name when nobody with stake signs it, and store nothing")
    func unsignedPublish() async throws {
        try await LiveChain.with { live in
            let peer = try live.blobStore("peer")
            try await live.serving(blobStores: [peer]) { peers in
                let exchange = BlobExchange(store: try live.blobStore("local"), peers: peers)
                let error = await #expect(throws: BlobExchangeError.self) { try await exchange.publish(Self.weights) }
                guard case .uploadFailed(_, let attempts) = error, case .failed(let failure) = attempts.first?.failure,
                    case .apiError(_, 403, 1008, "upload_not_allowed", _) = failure
                else {
                    Issue.record("expected a 403 upload_not_allowed, got \(String(describing: error))")
                    return
                }
                #expect(!peer.contains(Self.hash))
            }
        }
    }
}
