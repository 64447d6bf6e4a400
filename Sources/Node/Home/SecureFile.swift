// Files that only their owner may read.

package import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads and writes files with owner-only permissions.
///
/// A secret is never on disk with wider permissions, even for an instant: the temporary file is created with
/// mode 0600 by `open(2)` itself, written, synced, then renamed over the destination (so a crash leaves
/// either the old file or the new one, never half of one).
package enum SecureFile {
    /// Writes `bytes` to `path` atomically with mode 0600.
    ///
    /// - Throws: ``NodeError`` (`fileSystem`) naming the file.
    package static func write(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Self.error("cannot create", path) }
        var ok = fchmod(descriptor, 0o600) == 0
        var offset = 0
        while ok, offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { posixWrite(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                ok = false
            } else {
                offset += written
            }
        }
        ok = ok && fsync(descriptor) == 0
        close(descriptor)
        guard ok, rename(temporary, path) == 0 else {
            let failure = Self.error("cannot write", path)
            unlink(temporary)
            throw failure
        }
        // The rename is durable once the directory is.
        let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY)
        guard directory >= 0 else { throw Self.error("cannot open the directory of", path) }
        defer { close(directory) }
        guard fsync(directory) == 0 else { throw Self.error("cannot sync the directory of", path) }
    }

    /// Writes a UTF-8 string to `path` atomically with mode 0600.
    package static func write(_ text: String, to path: String) throws {
        try self.write(Array(text.utf8), to: path)
    }

    /// The contents of `path`.
    ///
    /// - Throws: ``NodeError`` (`fileSystem`) naming the file.
    package static func read(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw NodeError(.fileSystem, "cannot read \(path)", cause: error)
        }
    }

    /// Creates `path` and its parents with mode 0700 when missing.
    ///
    /// - Throws: ``NodeError`` (`fileSystem`) naming the directory.
    package static func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw NodeError(.fileSystem, "cannot create directory \(path)", cause: error)
        }
    }

    /// The permission bits of `path` (for example `0o600`), or `nil` when it does not exist.
    package static func permissions(of path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_mode) & 0o777
    }

    private static func error(_ what: String, _ path: String) -> NodeError {
        let reason = String(cString: strerror(errno))
        return NodeError(.fileSystem, "\(what) \(path): \(reason)")
    }
}

/// `write(2)`, under a name that does not clash with ``SecureFile/write(_:to:)``.
private func posixWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
