// Two nodes over TLS say hello and exchange consensus messages; a node of another chain, an oversized frame and a
// malformed message each end the link with a clear error.

import Consensus
import DeAICore
import DeAITesting
import Ledger
import NIOCore
import P2P
import Testing

@Suite("Peer link")
struct PeerLinkTests {
    static let serverKey = TestKeys.signingKey(700)
    static let clientKey = TestKeys.signingKey(701)
    /// Small frames only, to test the limits cheaply.
    static let limits = PeerLimits(
        blockFrameBytes: 4_096, transactionFrameBytes: 4_096, blobFrameBytes: 4_096, addressFrameBytes: 4_096, smallFrameBytes: 256)
    static let hello = PeerHello(chainID: "deai-link", genesisHash: SHA256Digest(hashing: Array("genesis".utf8)))

    /// A listener that links with one peer and runs `server` on it, and a client that dials it and runs `client`;
    /// returns how each side ended.
    static func link(
        serverHello: PeerHello = hello, clientHello: PeerHello = hello,
        server: @escaping @Sendable (PeerLink) async throws -> Void,
        client: @escaping @Sendable (PeerConnection) async throws -> Void
    ) async throws -> (server: Result<Void, any Error>, client: Result<Void, any Error>) {
        let serverTLS = try PeerTLS(identity: try PeerCertificate.make(nodeKey: Self.serverKey))
        let clientTLS = try PeerTLS(identity: try PeerCertificate.make(nodeKey: Self.clientKey))
        let listener = try await serverTLS.listen(host: "127.0.0.1", port: 0)
        let port = try #require(listener.channel.localAddress?.port)
        async let served: Result<Void, any Error> = {
            await Result {
                try await listener.executeThenClose { inbound in
                    var connections = inbound.makeAsyncIterator()
                    guard let connection = try await connections.next() else { return }
                    try await PeerLink.run(connection, hello: serverHello, limits: Self.limits) { link in
                        #expect(link.peer == Self.clientKey.verifyingKey)
                        try await server(link)
                    }
                }
            }
        }()
        let dialled = await Result {
            try await client(try await clientTLS.connect(host: "127.0.0.1", port: port, expecting: Self.serverKey.verifyingKey))
        }
        return (await served, dialled)
    }

    @Test("after the hello, messages go both ways in order")
    func exchange() async throws {
        let outcome = try await Self.link(
            server: { link in
                var received: [PeerMessage] = []
                for try await message in link.messages {
                    received.append(message)
                    if received.count == 2 { break }
                }
                #expect(received == [.consensus(.catchUp(from: 7)), .consensus(.transactions([[1, 2, 3]]))])
                try await link.send(.consensus(.catchUp(from: 9)))
            },
            client: { connection in
                try await PeerLink.run(connection, hello: Self.hello) { link in
                    #expect(link.peer == Self.serverKey.verifyingKey)
                    try await link.send(.consensus(.catchUp(from: 7)))
                    try await link.send(.consensus(.transactions([[1, 2, 3]])))
                    var messages = link.messages.makeAsyncIterator()
                    #expect(try await messages.next() == .consensus(.catchUp(from: 9)))
                }
            })
        try outcome.server.get()
        try outcome.client.get()
    }

    @Test("a node of another chain is refused before any message, on both sides")
    func otherChain() async throws {
        let other = PeerHello(chainID: "deai-other", genesisHash: Self.hello.genesisHash)
        let outcome = try await Self.link(
            clientHello: other, server: { _ in Issue.record("linked with a node of another chain") },
            client: { connection in
                try await PeerLink.run(connection, hello: other) { _ in
                    Issue.record("linked with a node of another chain")
                    return ()
                }
            })
        #expect(throws: PeerLinkError.otherNetwork(ours: Self.hello, theirs: other)) { try outcome.server.get() }
        #expect(throws: PeerLinkError.otherNetwork(ours: other, theirs: Self.hello)) { try outcome.client.get() }
    }

    @Test(
        "an oversized frame, a vote larger than a vote can be, or a malformed message ends the link with what was wrong",
        arguments: ["oversized", "large vote", "malformed"])
    func badFrames(_ kind: String) async throws {
        let outcome = try await Self.link(
            server: { link in for try await _ in link.messages {} },
            client: { connection in
                try await connection.channel.executeThenClose { inbound, outbound in
                    _ = try await connection.peer.get()
                    try await outbound.write(ByteBuffer(bytes: FrameReader.frame(Self.hello.canonicalEncoding)))
                    let bad: [UInt8] =
                        switch kind {
                        case "oversized": [0, 0, 0x10, 0x01]
                        case "large vote": FrameReader.frame([2] + Array(repeating: 0, count: 299))
                        default: FrameReader.frame([0xff, 0x00])
                        }
                    try await outbound.write(ByteBuffer(bytes: bad))
                    for try await _ in inbound {}
                }
            })
        #expect(throws: PeerLinkError.self) { try outcome.server.get() }
        if case .failure(let error as PeerLinkError) = outcome.server {
            switch (kind, error) {
            case ("oversized", .frame(.frameTooLarge(4_097, 4_096, _))), ("large vote", .frame(.frameTooLarge(300, 256, "message"))),
                ("malformed", .malformedMessage):
                break
            default: Issue.record("\(kind) ended the link with \(error)")
            }
        }
    }
}

extension Result where Failure == any Error {
    /// The result of `body`.
    init(_ body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
