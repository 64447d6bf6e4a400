// PeerTLS: encrypted connections between nodes, each end authenticated by its node key.

public import DeAICore
public import NIOCore
public import NIOPosix
import NIOSSL

/// A connection to a peer: its bytes, and the node key the peer proved in the TLS handshake. Await ``peer`` inside
/// `channel.executeThenClose` before trusting a byte (a dropped async channel traps).
public struct PeerConnection: Sendable {
    /// The decrypted byte stream.
    public let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    /// The peer's node key, once the handshake completed; it fails when the peer is not authenticated.
    public let peer: EventLoopFuture<VerifyingKey>
}

/// TLS 1.3 between nodes (docs/adr/0001-peer-transport.md): both ends present a ``PeerCertificate`` and verify the
/// other's, so each learns the other's node key; a dialler also refuses any node but the one it meant to reach.
/// No system trust store and no host names are involved.
///
/// ```swift
/// let tls = try PeerTLS(identity: try PeerCertificate.make(nodeKey: nodeKey))
/// let listener = try await tls.listen(host: "127.0.0.1", port: 0)
/// let connection = try await tls.connect(host: "127.0.0.1", port: port, expecting: peerKey)
/// ```
public struct PeerTLS: Sendable {
    private let serverContext: NIOSSLContext
    private let clientContext: NIOSSLContext
    private let group: any EventLoopGroup
    private let handshakeTimeout: TimeAmount

    /// Connections that present `identity` and speak the application protocol `protocolName` (ALPN); a
    /// handshake that takes longer than `handshakeTimeout` closes its connection.
    /// - Throws: NIOSSL's error for an identity it cannot load.
    public init(
        identity: PeerCertificate.Identity, protocolName: String = "deai/1", handshakeTimeout: Duration = .seconds(10),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        func configuration(_ base: TLSConfiguration) -> TLSConfiguration {
            var configuration = base
            configuration.certificateChain = [.certificate(identity.certificate)]
            configuration.privateKey = .privateKey(identity.privateKey)
            configuration.minimumTLSVersion = .tlsv13
            configuration.maximumTLSVersion = .tlsv13
            // Verification runs in the custom callback; on a server this also requires the client's certificate.
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = .certificates([])
            configuration.applicationProtocols = [protocolName]
            return configuration
        }
        self.serverContext = try NIOSSLContext(configuration: configuration(.makeServerConfiguration(
            certificateChain: [.certificate(identity.certificate)], privateKey: .privateKey(identity.privateKey))))
        self.clientContext = try NIOSSLContext(configuration: configuration(.makeClientConfiguration()))
        self.group = group
        self.handshakeTimeout = .nanoseconds(Int64(clamping: handshakeTimeout.nanoseconds))
    }

    /// Listens on `host` and `port` (0: a free port); each accepted connection authenticates its peer.
    public func listen(host: String, port: Int) async throws -> NIOAsyncChannel<PeerConnection, Never> {
        let context = self.serverContext
        let timeout = self.handshakeTimeout
        return try await ServerBootstrap(group: self.group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let identity = PeerIdentityHandler(eventLoop: channel.eventLoop, expected: nil, handshakeTimeout: timeout)
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSLServerHandler(context: context, customVerificationCallback: identity.verify))
                    return try Self.connection(channel, identity: identity)
                }
            }
    }

    /// Connects to the node `expecting` at `host` and `port`.
    public func connect(host: String, port: Int, expecting peer: VerifyingKey) async throws -> PeerConnection {
        let context = self.clientContext
        let timeout = self.handshakeTimeout
        return try await ClientBootstrap(group: self.group)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let identity = PeerIdentityHandler(eventLoop: channel.eventLoop, expected: peer, handshakeTimeout: timeout)
                    try channel.pipeline.syncOperations.addHandler(
                        try NIOSSLClientHandler(context: context, serverHostname: nil, customVerificationCallback: identity.verify))
                    return try Self.connection(channel, identity: identity)
                }
            }
    }

    private static func connection(_ channel: any Channel, identity: PeerIdentityHandler) throws -> PeerConnection {
        try channel.pipeline.syncOperations.addHandler(identity)
        return PeerConnection(
            channel: try NIOAsyncChannel(wrappingChannelSynchronously: channel), peer: identity.peer)
    }
}
