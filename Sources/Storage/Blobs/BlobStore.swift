// Content-addressed files for model weights and updates.

public import DeAICore
internal import Foundation

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A content-addressed store of blobs (model weights, updates) on disk: a blob's identifier is the SHA-256 of its
/// bytes.
///
/// Rules:
/// 1. **Writes are atomic and durable**: bytes go to a temporary file in the store, are fsync'd, then renamed to
///    their final name and the directory fsync'd — a crash leaves either the whole blob or none of it. A copy of
///    a blob that some other node holds durably may be stored as ``Durability/cached`` instead: renamed into
///    place without the fsyncs, so a crash may lose it or leave it torn — which rule 2 catches on the next read,
///    and the copy is fetched again.
/// 2. **Reads are verified**: bytes that no longer hash to their name (a corrupt disk, a tampered file) are an
///    error, never returned.
/// 3. **Size is bounded**: a blob over ``maxBlobBytes`` is refused, whether stored or fetched from a peer.
///
/// Files live at `directory/abcdef…`, one flat directory: file systems with hashed directory indexes (ext4, XFS,
/// APFS) look names up in one step at any size, and a blob costs one new inode, not a fan-out folder as well.
public struct BlobStore: Sendable {
    /// The store's directory.
    public let directory: String
    /// The largest blob accepted.
    public let maxBlobBytes: Int

    /// Opens (creating if needed) the store in `directory`.
    /// - Throws: ``StorageError`` `.openFailed` when the directory cannot be created.
    public init(directory: String, maxBlobBytes: Int = 256 << 20) throws(StorageError) {
        self.directory = directory
        self.maxBlobBytes = maxBlobBytes
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StorageError(.openFailed, "cannot create the blob store \(directory)", cause: error)
        }
    }

    /// How a blob is written.
    public enum Durability: Sendable {
        /// On disk when ``put(_:expecting:durability:)`` returns (fsync of the file and of its directory).
        case durable
        /// Renamed into place without waiting for the disk: for copies of blobs that other nodes hold durably.
        case cached
    }

    /// Stores `bytes` and returns their identifier; storing the same bytes again does nothing.
    ///
    /// - Parameters:
    ///   - expected: the identifier the bytes must have (a blob fetched by hash from a peer).
    ///   - durability: whether the write waits for the disk.
    /// - Throws: ``StorageError`` `.blobTooLarge`, `.blobHashMismatch`, or `.writeFailed`.
    @discardableResult
    public func put(
        _ bytes: [UInt8], expecting expected: SHA256Digest? = nil, durability: Durability = .durable
    ) throws(StorageError) -> SHA256Digest {
        let id = try self.check(bytes, expecting: expected)
        guard !self.contains(id) else { return id }
        do {
            let temporary = self.directory + "/.\(id.hexString).\(UUID().uuidString).partial"
            try Self.writeFile(bytes, to: temporary, sync: durability == .durable)
            guard rename(temporary, self.path(of: id)) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw StorageError(.writeFailed, "cannot move blob \(id) into place: \(reason)")
            }
            if durability == .durable { try Self.syncDirectory(self.directory) }
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError(.writeFailed, "cannot write blob \(id)", cause: error)
        }
        return id
    }

    /// The identifier of `bytes` if the store would accept them, without storing them.
    /// - Parameter expected: the identifier the bytes must have.
    /// - Throws: ``StorageError`` `.blobTooLarge` or `.blobHashMismatch`.
    @discardableResult
    public func check(_ bytes: [UInt8], expecting expected: SHA256Digest? = nil) throws(StorageError) -> SHA256Digest {
        guard bytes.count <= self.maxBlobBytes else {
            throw StorageError(.blobTooLarge, "a blob of \(bytes.count) bytes exceeds the limit of \(self.maxBlobBytes)")
        }
        let id = SHA256Digest(hashing: bytes)
        if let expected, expected != id {
            throw StorageError(.blobHashMismatch, "the bytes received for blob \(expected) hash to \(id)")
        }
        return id
    }

    /// The bytes of blob `id`, verified, or `nil` when the store does not hold it.
    /// - Throws: ``StorageError`` `.blobHashMismatch` when the file no longer hashes to `id`, `.readFailed`.
    public func get(_ id: SHA256Digest) throws(StorageError) -> [UInt8]? {
        let path = self.path(of: id)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw StorageError(.readFailed, "cannot read blob \(id)", cause: error)
        }
        let bytes = [UInt8](data)
        guard SHA256Digest(hashing: bytes) == id else {
            throw StorageError(.blobHashMismatch, "blob file \(path) is corrupt: its bytes no longer hash to its name")
        }
        return bytes
    }

    /// Whether the store holds blob `id` (without reading it).
    public func contains(_ id: SHA256Digest) -> Bool {
        FileManager.default.fileExists(atPath: self.path(of: id))
    }

    private func path(of id: SHA256Digest) -> String {
        self.directory + "/" + id.hexString
    }

    /// Removes blob `id` if the store holds it (a corrupt copy, before it is fetched again).
    /// - Throws: ``StorageError`` `.writeFailed` when the file exists and cannot be removed.
    public func remove(_ id: SHA256Digest) throws(StorageError) {
        guard unlink(self.path(of: id)) == 0 || errno == ENOENT else {
            throw StorageError(.writeFailed, "cannot remove blob \(id): \(String(cString: strerror(errno)))")
        }
    }

    private static func writeFile(_ bytes: [UInt8], to path: String, sync: Bool) throws(StorageError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else {
            throw StorageError(.writeFailed, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                buffer.baseAddress.map { write(descriptor, $0 + written, buffer.count - written) } ?? -1
            }
            guard result > 0 else {
                unlink(path)
                throw StorageError(.writeFailed, "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            written += result
        }
        guard !sync || fsync(descriptor) == 0 else {
            unlink(path)
            throw StorageError(.writeFailed, "cannot fsync \(path): \(String(cString: strerror(errno)))")
        }
    }

    private static func syncDirectory(_ path: String) throws(StorageError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw StorageError(.writeFailed, "cannot open directory \(path) to sync it") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw StorageError(.writeFailed, "cannot fsync directory \(path)") }
    }
}
