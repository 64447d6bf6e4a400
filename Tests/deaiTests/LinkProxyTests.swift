// LinkProxy: relays bytes both ways between loopback sockets; a cut closes what it relays and refuses new
// connections until healed.

import DeAITesting
import NIOCore
import NIOPosix
import Testing

/// The time limit only catches a relay that never closes: the whole suite runs at once on two cores, and a test may
/// wait minutes for a thread before its first step.
@Suite("Link proxy", .timeLimit(.minutes(5)))
struct LinkProxyTests {
    private static let group = MultiThreadedEventLoopGroup.singleton

    /// An echo server on a free loopback port; returns its port and the channel to close.
    private static func echoServer() async throws -> (port: Int, channel: any Channel) {
        let channel = try await ServerBootstrap(group: Self.group)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture { try child.pipeline.syncOperations.addHandler(Echo()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return (try #require(channel.localAddress?.port), channel)
    }

    /// Connects to `port`, sends `text` and returns what comes back, or `nil` when the connection is closed or
    /// reset first.
    private static func roundTrip(_ text: String, port: Int) async throws -> String? {
        let client = try await ClientBootstrap(group: Self.group).connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
        do {
            return try await client.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(string: text))
                var received = ""
                for try await var buffer in inbound {
                    received += buffer.readString(length: buffer.readableBytes) ?? ""
                    if received.utf8.count >= text.utf8.count { return received }
                }
                return nil
            }
        } catch is ChannelError {
            return nil  // closed before the write
        } catch is IOError {
            return nil  // reset
        }
    }

    @Test("relays both ways, refuses while cut, relays again once healed")
    func cutAndHeal() async throws {
        let echo = try await Self.echoServer()
        let proxy = try await LinkProxy(targetPort: echo.port, group: Self.group)
        #expect(try await Self.roundTrip("hello through the proxy", port: proxy.port) == "hello through the proxy")
        proxy.cut()
        #expect(try await Self.roundTrip("refused", port: proxy.port) == nil)
        proxy.heal()
        #expect(try await Self.roundTrip("healed", port: proxy.port) == "healed")
        await proxy.close()
        try await echo.channel.close()
    }

    @Test("a cut closes the connections it relays, as a failed network would")
    func cutClosesOpenConnections() async throws {
        let echo = try await Self.echoServer()
        let proxy = try await LinkProxy(targetPort: echo.port, group: Self.group)
        let client = try await ClientBootstrap(group: Self.group).connect(host: "127.0.0.1", port: proxy.port) { channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
        let ended = try await client.executeThenClose { inbound, outbound in
            var replies = inbound.makeAsyncIterator()
            try await outbound.write(ByteBuffer(string: "x"))
            #expect(try await replies.next()?.readableBytes == 1)
            proxy.cut()
            return try await replies.next() == nil
        }
        #expect(ended)
        await proxy.close()
        try await echo.channel.close()
    }
}

/// Writes back whatever it reads.
private final class Echo: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.writeAndFlush(data, promise: nil)
    }
}
