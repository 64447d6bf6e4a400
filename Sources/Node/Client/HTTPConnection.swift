// Node: one keep-alive HTTP/1.1 connection on NIO, one request at a time.

import DeAICore
import NIOCore
import NIOHTTP1
import NIOPosix

/// A request as the connection sends it: method, target (path and query), headers and body.
struct HTTPRequest: Sendable {
    var method: HTTPMethod
    var target: String
    var headers: HTTPHeaders
    var body: [UInt8]?
}

/// A complete response: status, body, and whether the server keeps the connection open.
struct HTTPResponse: Sendable {
    var status: Int
    var body: [UInt8]
    var keepAlive: Bool
}

/// Why an exchange on a connection failed.
enum HTTPConnectionError: Error, Sendable, CustomStringConvertible {
    /// No connection could be opened.
    case connectFailed(String)
    /// The server closed the connection before the response was complete; `receivedHead` tells whether any of
    /// it had arrived (if not, the request may be sent again on a new connection).
    case closed(receivedHead: Bool)
    /// The response did not complete within the request's timeout.
    case timedOut(Duration)
    /// The connection failed while in use.
    case failed(String)
    /// The task waiting for the response was cancelled; the connection was closed rather than left waiting.
    case cancelled

    var description: String {
        switch self {
        case .connectFailed(let reason): "cannot connect: \(reason)"
        case .closed: "the node closed the connection before answering"
        case .timedOut(let timeout): "no answer within \(timeout)"
        case .failed(let reason): reason
        case .cancelled: "the request was cancelled"
        }
    }
}

/// One TCP connection to a node's API, speaking HTTP/1.1 with keep-alive on NIO's event loops. It carries one
/// request at a time; ``HTTPConnectionPool`` hands connections out and takes them back.
final class HTTPConnection: Sendable {
    private let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Whether the connection is still open.
    var isActive: Bool { self.channel.isActive }

    /// Opens a connection to `host:port`.
    /// - Throws: ``HTTPConnectionError/connectFailed(_:)``.
    static func connect(host: String, port: Int, group: any EventLoopGroup) async throws(HTTPConnectionError) -> HTTPConnection {
        do {
            let channel = try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connectTimeout(.seconds(10))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(HTTPExchangeHandler())
                    }
                }
                .connect(host: host, port: port).get()
            return HTTPConnection(channel: channel)
        } catch {
            throw .connectFailed("\(error)")
        }
    }

    /// Sends `request` and waits for the whole response, at most `timeout`. Cancelling the waiting task closes
    /// the connection at once, so a long-poll ends without waiting for the node's answer.
    /// - Throws: ``HTTPConnectionError``, ``HTTPConnectionError/cancelled`` after a cancellation; the connection
    ///   is closed after any error.
    func execute(_ request: HTTPRequest, timeout: Duration) async throws(HTTPConnectionError) -> HTTPResponse {
        let promise = self.channel.eventLoop.makePromise(of: HTTPResponse.self)
        let exchange = HTTPExchange(request: request, promise: promise, timeout: timeout)
        self.channel.writeAndFlush(exchange).cascadeFailure(to: promise)
        do {
            return try await withTaskCancellationHandler {
                try await promise.futureResult.get()
            } onCancel: {
                self.close()
            }
        } catch {
            self.close()
            if Task.isCancelled { throw .cancelled }
            throw error as? HTTPConnectionError ?? .failed("\(error)")
        }
    }

    /// Closes the connection.
    func close() {
        self.channel.close(promise: nil)
    }
}

/// A request in flight with the promise of its response.
struct HTTPExchange: Sendable {
    var request: HTTPRequest
    var promise: EventLoopPromise<HTTPResponse>
    var timeout: Duration
}

/// Writes one ``HTTPExchange`` at a time and completes its promise with the response parts that come back; fails
/// it when the connection closes, errs or the timeout passes first.
private final class HTTPExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPExchange
    typealias OutboundOut = HTTPClientRequestPart

    private var pending: EventLoopPromise<HTTPResponse>?
    private var timeout: Scheduled<Void>?
    private var head: HTTPResponseHead?
    private var body: ByteBuffer?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = self.unwrapOutboundIn(data)
        guard self.pending == nil else {
            exchange.promise.fail(HTTPConnectionError.failed("a request is already in flight on this connection"))
            promise?.fail(HTTPConnectionError.failed("busy connection"))
            return
        }
        self.pending = exchange.promise
        let deadline = exchange.timeout
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        self.timeout = context.eventLoop.scheduleTask(in: .nanoseconds(Int64(deadline.nanoseconds))) {
            let (handler, context) = loopBound.value
            handler.fail(HTTPConnectionError.timedOut(deadline))
            context.close(promise: nil)
        }
        var headers = exchange.request.headers
        if let body = exchange.request.body { headers.replaceOrAdd(name: "Content-Length", value: "\(body.count)") }
        let head = HTTPRequestHead(version: .http1_1, method: exchange.request.method, uri: exchange.request.target,
                                   headers: headers)
        context.write(self.wrapOutboundOut(.head(head)), promise: nil)
        if let body = exchange.request.body {
            context.write(self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))),
                          promise: nil)
        }
        context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.body = context.channel.allocator.buffer(capacity: 0)
        case .body(var part):
            self.body?.writeBuffer(&part)
        case .end:
            guard let head = self.head, let promise = self.pending else { return }
            let body = self.body.map { Array($0.readableBytesView) } ?? []
            self.reset()
            promise.succeed(HTTPResponse(status: Int(head.status.code), body: body, keepAlive: head.isKeepAlive))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.fail(HTTPConnectionError.closed(receivedHead: self.head != nil))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.fail(HTTPConnectionError.failed("\(error)"))
        context.close(promise: nil)
    }

    private func fail(_ error: HTTPConnectionError) {
        let promise = self.pending
        self.reset()
        promise?.fail(error)
    }

    private func reset() {
        self.timeout?.cancel()
        self.timeout = nil
        self.pending = nil
        self.head = nil
        self.body = nil
    }
}
