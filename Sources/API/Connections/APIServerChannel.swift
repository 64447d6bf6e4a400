// API: the HTTP/1.1 server of the API, behind its connection limits and watching for clients that leave.

import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 child channel with two handlers of the API's own: ``ConnectionAdmissionHandler`` first in
/// the pipeline (before any byte is decoded) and ``ClientDepartureHandler`` after the HTTP codec.
struct APIServerChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let http: HTTP1Channel
    let limits: ConnectionLimits

    /// The server's child channel answering with `responder`, under `limits`; idle keep-alive connections close
    /// after `idleTimeout`.
    init(responder: @escaping HTTPChannelHandler.Responder, limits: ConnectionLimits, idleTimeout: TimeAmount) {
        self.http = HTTP1Channel(
            responder: responder,
            configuration: .init(additionalChannelHandlers: [ClientDepartureHandler()], idleTimeout: idleTimeout))
        self.limits = limits
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let limits = self.limits
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(ConnectionAdmissionHandler(limits: limits))
        }.flatMap {
            self.http.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await self.http.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 as the API serves it (``APIServerChannel``).
    static func api(limits: ConnectionLimits, idleTimeout: TimeAmount) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in APIServerChannel(responder: responder, limits: limits, idleTimeout: idleTimeout) }
    }
}
