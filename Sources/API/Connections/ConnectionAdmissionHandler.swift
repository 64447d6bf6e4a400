// API: the first handler of every connection, which counts it or refuses it.

import APITypes
import Foundation
import NIOCore

/// Sits first in each API connection's pipeline: counts the connection against ``ConnectionLimits`` when it opens
/// and forgets it when it closes. A connection beyond the limits is answered, once its client has sent something,
/// with a 429 `too_many_connections` error and `Retry-After`, written directly as HTTP/1.1 bytes, and closed; its
/// bytes never reach the HTTP decoder or a route.
final class ConnectionAdmissionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let limits: ConnectionLimits
    /// The client address the connection was counted under, while it is.
    private var counted: String?
    private var refusal: ConnectionLimits.Refusal?
    private var answered = false

    /// A handler counting connections against `limits`.
    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    func channelActive(context: ChannelHandlerContext) {
        let client = context.remoteAddress?.ipAddress ?? "unknown"
        if let refusal = self.limits.admit(client) {
            self.refusal = refusal
        } else {
            self.counted = client
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let refusal = self.refusal else {
            context.fireChannelRead(data)
            return
        }
        guard !self.answered else { return }
        self.answered = true
        let answer = context.channel.allocator.buffer(bytes: self.response(to: refusal))
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(self.wrapOutboundOut(answer), promise: written)
        let channel = context.channel
        written.futureResult.whenComplete { _ in channel.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.release()
    }

    private func release() {
        guard let client = self.counted else { return }
        self.counted = nil
        self.limits.release(client)
    }

    /// The whole HTTP/1.1 response refusing the connection.
    private func response(to refusal: ConnectionLimits.Refusal) -> [UInt8] {
        let message = switch refusal {
        case .tooManyInAll: "this node already holds its \(self.limits.maxConnections) API connections (api.max_connections)"
        case .tooManyFromClient:
            "this node already holds \(self.limits.maxPerClient) API connections from your address "
                + "(api.max_connections_per_client); reuse them, or retry once some close"
        }
        let error = APIError(.tooManyConnections, message)
        let body = (try? JSONEncoder().encode(APIErrorBody(error: error.errorDetail))) ?? Data()
        let head = "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json; charset=utf-8\r\n"
            + "content-length: \(body.count)\r\nretry-after: 1\r\nconnection: close\r\n\r\n"
        return Array(head.utf8) + Array(body)
    }
}
