// Two nodes on loopback: each learns the other's node key from the TLS handshake; a dialler refuses an impostor.

import DeAICore
import DeAITesting
import NIOCore
import NIOPosix
import P2P
import Testing

@Suite("Peer TLS")
struct PeerTLSTests {
    static let serverKey = TestKeys.signingKey(600)
    static let clientKey = TestKeys.signingKey(601)

    /// Runs a listener for `serverKey` that answers each authenticated peer's message with its node key, and
    /// `body` with the listener's port; the listener's peers are returned in order.
    static func withListener(_ body: (Int, PeerTLS) async throws -> Void) async throws -> [VerifyingKey] {
        let server = try PeerTLS(identity: try PeerCertificate.make(nodeKey: Self.serverKey))
        let client = try PeerTLS(identity: try PeerCertificate.make(nodeKey: Self.clientKey))
        let listener = try await server.listen(host: "127.0.0.1", port: 0)
        let port = try #require(listener.channel.localAddress?.port)
        return try await withThrowingTaskGroup(of: [VerifyingKey].self) { group in
            group.addTask {
                var peers: [VerifyingKey] = []
                try await listener.executeThenClose { inbound in
                    for try await connection in inbound {
                        try? await connection.channel.executeThenClose { input, output in
                            let peer = try await connection.peer.get()
                            peers.append(peer)
                            for try await _ in input {
                                try await output.write(ByteBuffer(bytes: peer.rawRepresentation))
                                break
                            }
                        }
                    }
                }
                return peers
            }
            try await body(port, client)
            listener.channel.close(promise: nil)
            return try await group.next() ?? []
        }
    }

    @Test("each end learns the other's node key, and bytes flow encrypted between them")
    func mutualAuthentication() async throws {
        let seenByServer = try await Self.withListener { port, client in
            let connection = try await client.connect(host: "127.0.0.1", port: port, expecting: Self.serverKey.verifyingKey)
            try await connection.channel.executeThenClose { input, output in
                #expect(try await connection.peer.get() == Self.serverKey.verifyingKey)
                try await output.write(ByteBuffer(string: "who am I?"))
                var answer = try #require(try await input.first { _ in true })
                #expect(answer.readBytes(length: answer.readableBytes) == Self.clientKey.verifyingKey.rawRepresentation)
            }
        }
        #expect(seenByServer == [Self.clientKey.verifyingKey])
    }

    @Test("a dialler that expects another node refuses the one that answers")
    func impostor() async throws {
        let seenByServer = try await Self.withListener { port, client in
            let expected = TestKeys.signingKey(602).verifyingKey
            let connection = try await client.connect(host: "127.0.0.1", port: port, expecting: expected)
            await #expect(throws: PeerAuthenticationError.unexpectedPeer(expected: expected, found: Self.serverKey.verifyingKey)) {
                try await connection.channel.executeThenClose { _, _ in _ = try await connection.peer.get() }
            }
        }
        #expect(seenByServer.isEmpty)
    }

    @Test("a peer that connects and never completes the handshake is cut off at the timeout")
    func silentPeer() async throws {
        let server = try PeerTLS(
            identity: try PeerCertificate.make(nodeKey: Self.serverKey), handshakeTimeout: .milliseconds(200))
        let listener = try await server.listen(host: "127.0.0.1", port: 0)
        let port = try #require(listener.channel.localAddress?.port)
        let silent = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
        try await listener.executeThenClose { inbound in
            var connections = inbound.makeAsyncIterator()
            let connection = try #require(try await connections.next())
            await #expect(throws: PeerAuthenticationError.handshakeTimedOut) {
                try await connection.channel.executeThenClose { _, _ in _ = try await connection.peer.get() }
            }
        }
        try await silent.closeFuture.get()
    }
}
