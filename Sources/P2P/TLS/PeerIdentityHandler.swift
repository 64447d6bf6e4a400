// PeerIdentityHandler: learns, during the TLS handshake, which node key the peer proved.

import DeAICore
import NIOCore
import NIOSSL
import NIOTLS

/// Sits right after the TLS handler of a connection. NIOSSL calls ``verify(_:result:)`` with the peer's
/// certificates during the handshake; once the handshake completes, ``peer`` succeeds with the node key they prove
/// (``PeerCertificate/verify(_:now:)``), or fails: a bad certificate, another node than the one dialled, or a
/// connection closed first, or a handshake that took longer than its timeout (the connection is then closed: a
/// peer that opens connections and says nothing must not hold them). Bytes pass through unchanged.
final class PeerIdentityHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let expected: VerifyingKey?
    private let handshakeTimeout: TimeAmount
    private var verified: VerifyingKey?
    private let promise: EventLoopPromise<VerifyingKey>

    /// The peer's node key, once the handshake completed.
    var peer: EventLoopFuture<VerifyingKey> { self.promise.futureResult }

    /// A handler that accepts any node (`expected` nil: a listener) or only `expected` (a dialler), within
    /// `handshakeTimeout`.
    init(eventLoop: any EventLoop, expected: VerifyingKey?, handshakeTimeout: TimeAmount) {
        self.expected = expected
        self.handshakeTimeout = handshakeTimeout
        self.promise = eventLoop.makePromise()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        let promise = self.promise
        let timeout = context.eventLoop.scheduleTask(in: self.handshakeTimeout) {
            promise.fail(PeerAuthenticationError.handshakeTimedOut)
            channel.close(promise: nil)
        }
        promise.futureResult.whenComplete { _ in timeout.cancel() }
    }

    /// NIOSSL's custom verification callback; runs on the channel's event loop.
    func verify(_ chain: [NIOSSLCertificate], result: EventLoopPromise<NIOSSLVerificationResult>) {
        do {
            let key = try PeerCertificate.verify(chain)
            if let expected = self.expected, expected != key {
                throw PeerAuthenticationError.unexpectedPeer(expected: expected, found: key)
            }
            self.verified = key
            result.succeed(.certificateVerified)
        } catch {
            self.promise.fail(error)
            result.succeed(.failed)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent {
            if let verified = self.verified {
                self.promise.succeed(verified)
            } else {
                self.promise.fail(PeerAuthenticationError.handshakeIncomplete)
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.promise.fail(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        // A promise completes once: after success or an earlier failure this does nothing.
        self.promise.fail(PeerAuthenticationError.handshakeIncomplete)
        context.fireChannelInactive()
    }
}
