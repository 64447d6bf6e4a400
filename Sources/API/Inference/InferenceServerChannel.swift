// API: an inference server's connections, each answered on its own event loop.

import HummingbirdCore
import Logging
import NIOCore

/// The API's HTTP/1.1 child channel (``APIServerChannel``: the same limits, handlers and idle timeout) whose
/// requests run on their connection's event loop (``EventLoopTaskExecutor``) instead of Swift's global executor.
///
/// Hummingbird reads a request on the event loop and answers it in a task; on the global executor every request
/// then crosses threads twice — the request parts to the task, the response parts back to the loop — which cost
/// about a fifth of the requests per second and doubled the p99 latency in `deai bench serve` on 2 cores. A usual
/// answer is short CPU work (a plain body read by ``PredictBody``, a small forward pass, two hashes, a signature:
/// tens of microseconds) that never blocks, so running it on the loop delays the loop's other connections no more
/// than the hops did. What can take longer leaves the loop: a body only JSONDecoder reads, and a batch whose
/// forward pass is long (Serving's `InferenceService`).
struct InferenceServerChannel: ServerChildChannel {
    typealias Value = APIServerChannel.Value

    let api: APIServerChannel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        self.api.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await self.api.handle(value: value, logger: logger)
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 as an inference server serves it (``InferenceServerChannel``).
    static func inference(limits: ConnectionLimits, idleTimeout: TimeAmount) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            InferenceServerChannel(
                api: APIServerChannel(responder: responder, limits: limits, idleTimeout: idleTimeout))
        }
    }
}
