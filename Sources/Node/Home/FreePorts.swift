// FreePorts: TCP ports nobody listens on now, for homes made on one machine.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds free TCP ports by binding port 0 and reading what the system chose. All sockets stay open until every
/// port is found, so the ports differ; another program may still take one before the node starts.
enum FreePorts {
    /// `count` distinct free ports on `host` (an IPv4 address).
    /// - Throws: ``NodeError`` (`fileSystem`) when the system refuses a socket.
    static func reserve(_ count: Int, host: String) throws -> [Int] {
        var sockets: [Int32] = []
        defer { for socket in sockets { close(socket) } }
        var ports: [Int] = []
        for _ in 0..<count {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw NodeError(.fileSystem, "no socket to find a free port: errno \(errno)") }
            sockets.append(descriptor)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = inet_addr(host == "localhost" ? "127.0.0.1" : host)
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
                }
            }
            guard bound else { throw NodeError(.fileSystem, "cannot bind \(host) to find a free port: errno \(errno)") }
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
        }
        return ports
    }
}
