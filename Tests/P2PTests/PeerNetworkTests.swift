// Nodes on loopback find each other, keep one link per pair, carry consensus messages, and cut off and ban a peer
// that breaks the protocol, floods, or is reported misbehaving.

import Consensus
import DeAICore
import DeAITesting
import Logging
import NIOCore
import P2P
import Testing

@Suite("Peer network", .timeLimit(.minutes(5)))
struct PeerNetworkTests {
    static let hello = PeerHello(chainID: "deai-net", genesisHash: SHA256Digest(hashing: Array("genesis".utf8)))
    static let quiet = Logger(label: "p2p-tests") { _ in SwiftLogNoOpLogHandler() }

    /// A node's network, running until the test cancels it.
    struct Node {
        let network: PeerNetwork
        let task: Task<Void, any Error>
        let address: PeerAddress
        var id: PeerID { self.network.me }
    }

    static func key(_ index: Int) -> SigningKey { TestKeys.signingKey(800 + index) }

    /// Starts node `index` on a free loopback port, dialling `peers`.
    static func start(
        _ index: Int, peers: [PeerAddress] = [], blobs: (any BlobSource)? = nil,
        _ configure: (inout PeerNetworkConfiguration) -> Void = { _ in }
    ) async throws -> Node {
        var configuration = PeerNetworkConfiguration(
            listenPort: 0, persistentPeers: peers, peerExchangeInterval: .milliseconds(200),
            dialBackoff: .milliseconds(50) ... .milliseconds(500))
        configure(&configuration)
        let network = try PeerNetwork(
            nodeKey: Self.key(index), hello: Self.hello, configuration: configuration, blobs: blobs, logger: Self.quiet)
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let task = Task { try await network.run { listening.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        return Node(network: network, task: task, address: PeerAddress(key: Self.key(index).verifyingKey, host: "127.0.0.1", port: port))
    }

    /// Whether `condition` holds within `timeout`, polled.
    static func eventually(within timeout: Duration = .seconds(20), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return condition()
    }

    /// The next message `node` hears, if one comes within `timeout`.
    static func next(_ node: Node, within timeout: Duration = .seconds(20)) async -> ConsensusEnvelope? {
        await withTaskGroup(of: ConsensusEnvelope?.self) { group in
            group.addTask {
                var iterator = node.network.incoming.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    @Test("a node that dials one peer finds the others by peer exchange, and a broadcast reaches every node")
    func peerExchange() async throws {
        let hub = try await Self.start(0)
        let a = try await Self.start(1, peers: [hub.address])
        let b = try await Self.start(2, peers: [hub.address])
        defer { for node in [hub, a, b] { node.task.cancel() } }

        #expect(await Self.eventually { a.network.linkedPeers.contains(b.id) && b.network.linkedPeers.contains(a.id) })
        a.network.broadcast(.catchUp(from: 42))
        for node in [hub, b] {
            let envelope = await Self.next(node)
            #expect(envelope?.message == .catchUp(from: 42))
            #expect(envelope?.sender == a.id)
        }
        b.network.send(.catchUp(from: 7), to: a.id)
        #expect(await Self.next(a)?.message == .catchUp(from: 7))
    }

    @Test("two nodes that dial each other keep exactly one link, and messages flow both ways")
    func oneLinkPerPair() async throws {
        let first = try await Self.start(3)
        let second = try await Self.start(4, peers: [first.address])
        let third = try await Self.start(5, peers: [first.address, second.address])
        defer { for node in [first, second, third] { node.task.cancel() } }
        #expect(await Self.eventually { third.network.linkedPeers.count == 2 && second.network.linkedPeers.count == 2 })
        try await Task.sleep(for: .seconds(1))
        #expect(second.network.linkedPeers == [first.id, third.id].sorted())
        second.network.broadcast(.catchUp(from: 1))
        #expect(await Self.next(third)?.message == .catchUp(from: 1))
        third.network.broadcast(.catchUp(from: 2))
        #expect(await Self.next(second)?.message == .catchUp(from: 2))
    }

    @Test("a peer reported misbehaving is cut off and not linked again while banned, though it keeps dialling")
    func reportedPeerIsBanned() async throws {
        let judge = try await Self.start(6)
        let liar = try await Self.start(7, peers: [judge.address])
        defer { for node in [judge, liar] { node.task.cancel() } }
        #expect(await Self.eventually { judge.network.linkedPeers == [liar.id] })

        judge.network.disconnect(liar.id, misbehaving: "a forged vote")

        #expect(await Self.eventually { liar.network.linkedPeers.isEmpty })
        try await Task.sleep(for: .seconds(1))
        #expect(judge.network.linkedPeers.isEmpty, "the liar redialled within its ban")
    }

    @Test("a peer that sends a malformed message, or floods, is cut off and banned", arguments: ["malformed", "flood"])
    func protocolBreakerIsBanned(_ kind: String) async throws {
        let node = try await Self.start(8) { $0.limits.messagesPerSecond = 50; $0.limits.burstSeconds = 1 }
        defer { node.task.cancel() }
        let rogueKey = Self.key(9)
        let rogue = try PeerTLS(identity: try PeerCertificate.make(nodeKey: rogueKey))

        let connection = try await rogue.connect(host: "127.0.0.1", port: node.address.port, expecting: node.address.key)
        let ended: Void? = try? await PeerLink.run(connection, hello: Self.hello) { link in
            let writer = link.writer
            switch kind {
            case "malformed": try await writer.send(encoded: [0xee, 1, 2, 3])
            default: for _ in 0..<500 { try await writer.send(encoded: PeerMessage.consensus(.catchUp(from: 1)).encoding) }
            }
            for try await _ in link.messages {}
        }
        _ = ended
        #expect(await Self.eventually { node.network.linkedPeers.isEmpty })

        // Banned: a new connection says hello and is closed before any message.
        let again = try await rogue.connect(host: "127.0.0.1", port: node.address.port, expecting: node.address.key)
        let heard = try? await PeerLink.run(connection: again) { link in
            var count = 0
            for try await _ in link.messages { count += 1 }
            return count
        }
        #expect(heard ?? 0 == 0)
        #expect(!node.network.linkedPeers.contains(PeerID(rogueKey.verifyingKey.description)))
    }
}

extension PeerLink {
    /// Runs `body` over `connection` with the tests' hello.
    static func run<Result: Sendable>(connection: PeerConnection, _ body: (PeerLink) async throws -> Result) async throws -> Result {
        try await PeerLink.run(connection, hello: PeerNetworkTests.hello, body)
    }
}
