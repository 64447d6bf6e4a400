// API: noticing that a client left while its request waits.

import NIOCore

/// Notices that the client of a connection has gone — its side of the connection closed, or the connection did —
/// and cancels the requests still waiting for it (a long-poll, a submission awaiting its receipt), so that they
/// end at once instead of holding their places among the waiting requests until their timeouts.
///
/// The server allows half-closed connections, so a client that leaves shows up as the end of its input, not as
/// a closed channel; this handler sits in each connection's pipeline and turns either into a departure. Used
/// only on its channel's event loop (``NIOCore/Channel/cancellingOnClientDeparture(_:)``).
final class ClientDepartureHandler: ChannelInboundHandler, RemovableChannelHandler {
    /// Every part passes on untouched.
    typealias InboundIn = NIOAny

    private var departed = false
    private var watchers: [UInt64: @Sendable () -> Void] = [:]
    private var nextWatcher: UInt64 = 0

    /// Calls `onDeparture` when the client leaves (at once if it has); returns the token that ``unwatch(_:)``
    /// takes, or `nil` when it already left.
    func watch(_ onDeparture: @escaping @Sendable () -> Void) -> UInt64? {
        guard !self.departed else {
            onDeparture()
            return nil
        }
        self.nextWatcher += 1
        self.watchers[self.nextWatcher] = onDeparture
        return self.nextWatcher
    }

    /// Forgets the watcher of `token`: its request ended.
    func unwatch(_ token: UInt64) {
        self.watchers[token] = nil
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed = event as? ChannelEvent { self.depart() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.depart()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.depart()
    }

    private func depart() {
        self.departed = true
        let watchers = self.watchers
        self.watchers = [:]
        for watcher in watchers.values { watcher() }
    }
}

extension Channel {
    /// Runs `operation` in a task of its own that is cancelled if the client of this connection leaves before it
    /// ends (``ClientDepartureHandler``; without one in the pipeline, it is never cancelled that way). The task
    /// inherits the caller's task-local values, graceful shutdown included, and is cancelled with the caller.
    func cancellingOnClientDeparture<Result: Sendable>(
        _ operation: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        let task = Task { try await operation() }
        let token = try? await self.eventLoop.submit {
            try self.pipeline.syncOperations.handler(type: ClientDepartureHandler.self).watch { task.cancel() }
        }.get()
        defer {
            if let token {
                self.eventLoop.execute {
                    (try? self.pipeline.syncOperations.handler(type: ClientDepartureHandler.self))?.unwatch(token)
                }
            }
        }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }
}
