// PeerLink: an authenticated connection after the hello — consensus messages in frames, both ways.

public import Consensus
public import DeAICore
import NIOCore

/// A connection to an authenticated peer of the same network: ``messages`` are what it sends, ``send(_:)`` writes
/// to it. ``run(_:hello:frameLimit:_:)`` opens one over a ``PeerConnection``: it waits for the TLS handshake,
/// exchanges ``PeerHello``s, and hands the link to `body`; the connection closes when `body` returns.
///
/// ```swift
/// try await PeerLink.run(connection, hello: hello) { link in
///     try await link.send(.catchUp(from: 7))
///     for try await message in link.messages { … }
/// }
/// ```
public struct PeerLink {
    /// The peer's node key.
    public let peer: VerifyingKey
    /// The messages the peer sends, in order; the sequence throws ``PeerLinkError`` on an oversized frame or a
    /// malformed message, and ends when the peer closes.
    public let messages: Messages
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    /// Sends `message` in one frame.
    public func send(_ message: ConsensusMessage) async throws {
        try await self.outbound.write(ByteBuffer(bytes: FrameReader.frame(message.canonicalEncoding)))
    }

    /// Runs `body` with the link over `connection`, once the peer is authenticated and said the same hello.
    /// - Parameter frameLimit: the largest frame accepted from the peer, in bytes.
    /// - Throws: ``PeerAuthenticationError``, ``PeerLinkError``, the channel's error, or `body`'s.
    public static func run<Result: Sendable>(
        _ connection: PeerConnection, hello: PeerHello, frameLimit: Int = 64 << 20,
        _ body: (PeerLink) async throws -> Result
    ) async throws -> Result {
        try await connection.channel.executeThenClose { inbound, outbound in
            let peer = try await connection.peer.get()
            try await outbound.write(ByteBuffer(bytes: FrameReader.frame(hello.canonicalEncoding)))
            var frames = Frames(bytes: inbound.makeAsyncIterator(), reader: FrameReader(limit: frameLimit))
            guard let first = try await frames.next() else { throw PeerLinkError.closedBeforeHello }
            let theirs: PeerHello
            do {
                theirs = try PeerHello(canonicalEncoding: first)
            } catch {
                throw PeerLinkError.malformedMessage(reason: "\(error)")
            }
            guard theirs == hello else { throw PeerLinkError.otherNetwork(ours: hello, theirs: theirs) }
            return try await body(PeerLink(peer: peer, messages: Messages(frames: frames), outbound: outbound))
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
        public typealias Element = ConsensusMessage
        var frames: Frames

        public func makeAsyncIterator() -> Iterator { Iterator(frames: self.frames) }

        /// Decodes each frame as a ``Consensus/ConsensusMessage``.
        public struct Iterator: AsyncIteratorProtocol {
            var frames: Frames

            public mutating func next() async throws -> ConsensusMessage? {
                guard let frame = try await self.frames.next() else { return nil }
                do {
                    return try ConsensusMessage(canonicalEncoding: frame)
                } catch {
                    throw PeerLinkError.malformedMessage(reason: "\(error)")
                }
            }
        }
    }
}
