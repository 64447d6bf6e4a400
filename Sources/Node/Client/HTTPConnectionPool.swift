// Node: the keep-alive connections of one client to one node.

import NIOCore
import NIOPosix

/// The open HTTP/1.1 connections of one ``NodeClient`` to its node: a request takes an idle connection or opens a
/// new one, and gives it back when the server keeps it alive. Long-polls hold their connection while they wait,
/// so there are as many connections as requests in flight, and no request queues behind another.
actor HTTPConnectionPool {
    private let host: String
    private let port: Int
    private let group: any EventLoopGroup
    private var idle: [HTTPConnection] = []

    /// The most idle connections kept open; more are closed when they come back.
    static let idleLimit = 32

    /// A pool of connections to `host:port` on NIO's shared event loops.
    init(host: String, port: Int, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.host = host
        self.port = port
        self.group = group
    }

    /// Sends `request` and returns the whole response. A request that fails on a reused connection before any
    /// answer arrived (the server closed it while idle) is sent once more on a new connection.
    /// - Throws: ``HTTPConnectionError``; ``HTTPConnectionError/cancelled`` when the task is cancelled.
    nonisolated func execute(_ request: HTTPRequest, timeout: Duration) async throws(HTTPConnectionError) -> HTTPResponse {
        let (connection, reused) = try await self.checkOut()
        do {
            return try await self.exchange(request, on: connection, timeout: timeout)
        } catch .closed(receivedHead: false) where reused {
            return try await self.exchange(request, on: try await self.open(), timeout: timeout)
        }
    }

    private nonisolated func exchange(
        _ request: HTTPRequest, on connection: HTTPConnection, timeout: Duration
    ) async throws(HTTPConnectionError) -> HTTPResponse {
        let response = try await connection.execute(request, timeout: timeout)
        await self.checkIn(connection, keepAlive: response.keepAlive)
        return response
    }

    private func checkOut() async throws(HTTPConnectionError) -> (HTTPConnection, reused: Bool) {
        while let connection = self.idle.popLast() {
            if connection.isActive { return (connection, true) }
        }
        return (try await self.open(), false)
    }

    private nonisolated func open() async throws(HTTPConnectionError) -> HTTPConnection {
        try await HTTPConnection.connect(host: self.host, port: self.port, group: self.group)
    }

    private func checkIn(_ connection: HTTPConnection, keepAlive: Bool) {
        guard keepAlive, connection.isActive, self.idle.count < Self.idleLimit else {
            connection.close()
            return
        }
        self.idle.append(connection)
    }

    deinit {
        for connection in self.idle { connection.close() }
    }
}
