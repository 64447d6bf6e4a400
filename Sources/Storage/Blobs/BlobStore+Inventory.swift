// BlobStore: what the store holds, for quotas and collection.

public import DeAICore
public import Foundation

extension BlobStore {
    /// A blob file of the store: its identifier, size and when it was written.
    public struct Entry: Sendable, Hashable {
        /// The blob's identifier (its file name).
        public var id: SHA256Digest
        /// Its size in bytes.
        public var bytes: Int
        /// When the file was last written.
        public var modified: Date
    }

    /// Every blob file of the store, in identifier order, without reading them.
    ///
    /// Files named otherwise are skipped, apart from the temporary files of writes that a crash interrupted:
    /// those older than `abandonedAfter` are removed (a write in progress is younger).
    /// - Throws: ``StorageError`` `.readFailed` when the directory cannot be listed.
    public func inventory(removingWritesAbandonedBefore abandonedAfter: Date = .distantPast) throws(StorageError) -> [Entry] {
        let manager = FileManager.default
        let names: [String]
        do {
            names = try manager.contentsOfDirectory(atPath: self.directory)
        } catch {
            throw StorageError(.readFailed, "cannot list the blob store \(self.directory)", cause: error)
        }
        var entries: [Entry] = []
        for name in names.sorted() {
            let path = self.directory + "/" + name
            guard let attributes = try? manager.attributesOfItem(atPath: path),
                let modified = attributes[.modificationDate] as? Date
            else { continue }
            if name.hasSuffix(".partial") {
                if modified < abandonedAfter { try? manager.removeItem(atPath: path) }
                continue
            }
            guard name.count == 64, let id = try? SHA256Digest(hexString: name), id.hexString == name,
                let size = (attributes[.size] as? NSNumber)?.intValue
            else { continue }
            entries.append(Entry(id: id, bytes: size, modified: modified))
        }
        return entries
    }
}
