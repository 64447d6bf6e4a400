// LinkProxy: a TCP relay on loopback between two nodes that a fault schedule can cut, for network partitions
// without root.

public import NIOCore
import NIOPosix
import Synchronization

/// Relays every connection made to its own loopback port to a node's peer port, byte for byte (the TLS inside
/// passes through untouched, so the peers still authenticate each other). ``cut()`` closes the connections it
/// relays and refuses new ones until ``heal()``: to both nodes it looks like the network between them failed.
/// `deai testnet perturb` puts one in front of every ordered pair of nodes.
public final class LinkProxy: Sendable {
    /// The loopback port the proxy listens on.
    public let port: Int
    private let server: any Channel
    private let connections: Connections

    /// A proxy listening on a free loopback port, relaying to `127.0.0.1:targetPort`.
    /// - Throws: NIO's error when it cannot listen.
    public init(targetPort: Int, group: any EventLoopGroup) async throws {
        let connections = Connections()
        self.connections = connections
        self.server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { inbound in
                Self.relay(inbound, to: targetPort, connections: connections)
            }
            .bind(host: "127.0.0.1", port: 0).get()
        self.port = self.server.localAddress?.port ?? 0
    }

    /// Closes every relayed connection and refuses new ones.
    public func cut() {
        for channel in self.connections.cut() { channel.close(promise: nil) }
    }

    /// Relays new connections again.
    public func heal() {
        self.connections.heal()
    }

    /// Stops listening and closes every relayed connection.
    public func close() async {
        self.cut()
        try? await self.server.close()
    }

    /// Connects `inbound` to the target and pipes both ways; closes it at once while the link is cut.
    private static func relay(
        _ inbound: any Channel, to targetPort: Int, connections: Connections
    ) -> EventLoopFuture<Void> {
        guard !connections.isCut else { return inbound.close() }
        // The inbound channel is registered, and so read, only once this initializer's future completes; the
        // outbound one forwards from its first read.
        return ClientBootstrap(group: inbound.eventLoop)
            .channelInitializer { outbound in
                outbound.eventLoop.makeCompletedFuture {
                    try outbound.pipeline.syncOperations.addHandler(Forwarder(partner: inbound))
                }
            }
            .connect(host: "127.0.0.1", port: targetPort)
            .flatMap { outbound in
                guard connections.admit(inbound, outbound) else {
                    outbound.close(promise: nil)
                    return inbound.close()
                }
                inbound.closeFuture.whenComplete { _ in connections.forget(inbound, outbound) }
                return inbound.eventLoop.makeCompletedFuture {
                    try inbound.pipeline.syncOperations.addHandler(Forwarder(partner: outbound))
                }
            }
            .flatMapErrorThrowing { error in
                inbound.close(promise: nil)
                throw error
            }
    }
}

/// The connections a proxy relays, and whether it is cut.
private final class Connections: Sendable {
    private struct State {
        var isCut = false
        var open: [ObjectIdentifier: any Channel] = [:]
    }

    private let state = Mutex(State())

    var isCut: Bool { self.state.withLock(\.isCut) }

    /// Keeps both ends of a new relay, unless the link was cut meanwhile.
    func admit(_ inbound: any Channel, _ outbound: any Channel) -> Bool {
        self.state.withLock { state in
            guard !state.isCut else { return false }
            state.open[ObjectIdentifier(inbound)] = inbound
            state.open[ObjectIdentifier(outbound)] = outbound
            return true
        }
    }

    func forget(_ inbound: any Channel, _ outbound: any Channel) {
        self.state.withLock { state in
            state.open[ObjectIdentifier(inbound)] = nil
            state.open[ObjectIdentifier(outbound)] = nil
        }
    }

    /// Marks the link cut; returns the channels to close.
    func cut() -> [any Channel] {
        self.state.withLock { state in
            state.isCut = true
            defer { state.open.removeAll() }
            return Array(state.open.values)
        }
    }

    func heal() {
        self.state.withLock { $0.isCut = false }
    }
}

/// Writes what its channel reads to the partner channel; stops reading while the partner cannot keep up, and
/// closes the partner when its own channel closes.
private final class Forwarder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let partner: any Channel

    init(partner: any Channel) {
        self.partner = partner
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.partner.write(self.unwrapInboundIn(data), promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.partner.flush()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // This channel's writability throttles what the partner reads, and so what it is sent.
        self.partner.setOption(.autoRead, value: context.channel.isWritable).whenSuccess {}
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.partner.close(promise: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
