// PeerLink: an authenticated connection after the hello — consensus messages in frames, both ways.

public import DeAICore
import NIOCore

/// A connection to an authenticated peer of the same network: ``messages`` are what it sends, ``send(_:)`` writes
/// to it. ``run(_:hello:limits:_:)`` opens one over a ``PeerConnection``: it waits for the TLS handshake,
/// exchanges ``PeerHello``s, and hands the link to `body`; the connection closes when `body` returns.
///
/// ```swift
/// try await PeerLink.run(connection, hello: hello) { link in
///     try await link.send(.consensus(.catchUp(from: 7)))
///     for try await message in link.messages { … }
/// }
/// ```
public struct PeerLink {
    /// The peer's node key.
    public let peer: VerifyingKey
    /// The address the peer's connection comes from.
    public let remoteHost: String?
    /// The messages the peer sends, in order; the sequence throws ``PeerLinkError`` on a frame too large for its
    /// kind, a malformed message or a peer over the rate limits, and ends when the peer closes.
    public let messages: Messages
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    /// Sends `message` in one frame.
    public func send(_ message: PeerMessage) async throws {
        try await self.writer.send(encoded: message.encoding)
    }

    /// The sending half alone, to hand to another task while this one reads ``messages``.
    public var writer: Writer { Writer(outbound: self.outbound) }

    /// Sends frames to the peer.
    public struct Writer: Sendable {
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

        /// Sends a message already encoded (``PeerMessage/encoding``) in one frame.
        public func send(encoded: [UInt8]) async throws {
            try await self.outbound.write(ByteBuffer(bytes: FrameReader.frame(encoded)))
        }
    }

    /// Runs `body` with the link over `connection`, once the peer is authenticated and said the same hello.
    /// - Parameter limits: what the peer may send.
    /// - Throws: ``PeerAuthenticationError``, ``PeerLinkError``, the channel's error, or `body`'s.
    public static func run<Result: Sendable>(
        _ connection: PeerConnection, hello: PeerHello, limits: PeerLimits = PeerLimits(),
        _ body: (PeerLink) async throws -> Result
    ) async throws -> Result {
        let remoteHost = connection.channel.channel.remoteAddress?.ipAddress
        return try await connection.channel.executeThenClose { inbound, outbound in
            let peer = try await connection.peer.get()
            try await outbound.write(ByteBuffer(bytes: FrameReader.frame(hello.canonicalEncoding)))
            var frames = Frames(bytes: inbound.makeAsyncIterator(), reader: FrameReader(limit: limits.largestFrameBytes))
            guard let first = try await frames.next() else { throw PeerLinkError.closedBeforeHello }
            let theirs: PeerHello
            do {
                theirs = try PeerHello(canonicalEncoding: first)
            } catch {
                throw PeerLinkError.malformedMessage(reason: "\(error)")
            }
            guard theirs == hello else { throw PeerLinkError.otherNetwork(ours: hello, theirs: theirs) }
            let link = PeerLink(
                peer: peer, remoteHost: remoteHost, messages: Messages(frames: frames, limits: limits), outbound: outbound)
            return try await body(link)
        }
    }

    /// The frames of a byte stream.
    struct Frames {
        var bytes: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        var reader: FrameReader
        var ready: [[UInt8]] = []

        /// The next whole frame, or `nil` when the stream ends.
        mutating func next() async throws -> [UInt8]? {
            while self.ready.isEmpty {
                guard var chunk = try await self.bytes.next() else { return nil }
                do {
                    self.ready = try self.reader.append(chunk.readBytes(length: chunk.readableBytes) ?? [])
                } catch {
                    throw PeerLinkError.frame(error)
                }
            }
            return self.ready.removeFirst()
        }
    }

    /// The messages of a link, as an async sequence that can be iterated once.
    public struct Messages: AsyncSequence {
        public typealias Element = PeerMessage
        var frames: Frames
        let limits: PeerLimits

        public func makeAsyncIterator() -> Iterator {
            let now = ContinuousClock.now
            return Iterator(
                frames: self.frames, limits: self.limits,
                messageRate: TokenBucket(rate: self.limits.messagesPerSecond, burstSeconds: self.limits.burstSeconds, now: now),
                byteRate: TokenBucket(rate: self.limits.bytesPerSecond, burstSeconds: self.limits.burstSeconds, now: now))
        }

        /// Checks each frame against its kind's size and the rates, and decodes it as a ``PeerMessage``.
        public struct Iterator: AsyncIteratorProtocol {
            var frames: Frames
            let limits: PeerLimits
            var messageRate: TokenBucket
            var byteRate: TokenBucket

            public mutating func next() async throws -> PeerMessage? {
                guard let frame = try await self.frames.next() else { return nil }
                let (kind, limit) = self.limits.limit(forTag: frame.first)
                guard frame.count <= limit else {
                    throw PeerLinkError.frame(.frameTooLarge(length: frame.count, limit: limit, kind: kind))
                }
                let now = ContinuousClock.now
                guard self.messageRate.take(1, now: now) else {
                    throw PeerLinkError.flooding(reason: "more than \(Int(self.limits.messagesPerSecond)) messages a second")
                }
                guard self.byteRate.take(Double(frame.count), now: now) else {
                    throw PeerLinkError.flooding(reason: "more than \(Int(self.limits.bytesPerSecond)) bytes a second")
                }
                do {
                    return try PeerMessage(frame: frame)
                } catch {
                    throw PeerLinkError.malformedMessage(reason: "\(error)")
                }
            }
        }
    }
}
