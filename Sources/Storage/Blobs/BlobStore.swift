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
///    their final name and the directory fsync'd — a crash leaves either the whole blob or none of it.
/// 2. **Reads are verified**: bytes that no longer hash to their name (a corrupt disk, a tampered file) are an
///    error, never returned.
/// 3. **Size is bounded**: a blob over ``maxBlobBytes`` is refused, whether stored or fetched from a peer.
///
/// Files live at `directory/ab/abcdef…` (the first two hex digits fan out the directory).
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

    /// Stores `bytes` and returns their identifier; storing the same bytes again does nothing.
    ///
    /// - Parameter expected: the identifier the bytes must have (a blob fetched by hash from a peer).
    /// - Throws: ``StorageError`` `.blobTooLarge`, `.blobHashMismatch`, or `.writeFailed`.
    @discardableResult
    public func put(_ bytes: [UInt8], expecting expected: SHA256Digest? = nil) throws(StorageError) -> SHA256Digest {
        guard bytes.count <= self.maxBlobBytes else {
            throw StorageError(.blobTooLarge, "a blob of \(bytes.count) bytes exceeds the limit of \(self.maxBlobBytes)")
        }
        let id = SHA256Digest(hashing: bytes)
        if let expected, expected != id {
            throw StorageError(.blobHashMismatch, "the bytes received for blob \(expected) hash to \(id)")
        }
        guard !self.contains(id) else { return id }
        let folder = self.folder(of: id)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let temporary = folder + "/.\(id.hexString).\(UUID().uuidString).partial"
            try Self.writeDurably(bytes, to: temporary)
            guard rename(temporary, self.path(of: id)) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw StorageError(.writeFailed, "cannot move blob \(id) into place: \(reason)")
            }
            try Self.syncDirectory(folder)
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError(.writeFailed, "cannot write blob \(id)", cause: error)
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

    private func folder(of id: SHA256Digest) -> String {
        self.directory + "/" + String(id.hexString.prefix(2))
    }

    private func path(of id: SHA256Digest) -> String {
        self.folder(of: id) + "/" + id.hexString
    }

    private static func writeDurably(_ bytes: [UInt8], to path: String) throws(StorageError) {
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
        guard fsync(descriptor) == 0 else {
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
