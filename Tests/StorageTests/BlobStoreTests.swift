// StorageTests: the content-addressed blob store.

import DeAICore
import Foundation
import Storage
import Testing

@Suite("Blob store")
struct BlobStoreTests {
    @Test("a blob stored is read back under the SHA-256 of its bytes; storing it again changes nothing")
    func roundTrip() async throws {
        try await withTemporaryDirectory { directory in
            let store = try BlobStore(directory: directory + "/blobs")
            let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let id = try store.put(bytes)
            #expect(id == SHA256Digest(hashing: bytes))
            #expect(store.contains(id))
            #expect(try store.get(id) == bytes)
            #expect(try store.put(bytes) == id)
            #expect(try store.put([]) == SHA256Digest(hashing: [UInt8]()))
            #expect(try store.get(SHA256Digest(hashing: [1, 2, 3])) == nil)
            let leftovers = try FileManager.default.subpathsOfDirectory(atPath: directory + "/blobs").filter { $0.hasSuffix(".partial") }
            #expect(leftovers.isEmpty)
        }
    }

    @Test("a blob whose file was corrupted on disk is an error, never returned")
    func corruptFile() async throws {
        try await withTemporaryDirectory { directory in
            let store = try BlobStore(directory: directory)
            let id = try store.put(Array("model weights".utf8))
            let path = directory + "/" + id.hexString
            try Data("tampered".utf8).write(to: URL(fileURLWithPath: path))
            #expect(throws: StorageError(.blobHashMismatch, "")) { try store.get(id) }
        }
    }

    @Test("oversized blobs and bytes that do not match the expected hash are refused and not stored")
    func refusals() async throws {
        try await withTemporaryDirectory { directory in
            let store = try BlobStore(directory: directory, maxBlobBytes: 16)
            #expect(throws: StorageError(.blobTooLarge, "")) { try store.put([UInt8](repeating: 1, count: 17)) }
            let claimed = SHA256Digest(hashing: Array("what was asked for".utf8))
            #expect(throws: StorageError(.blobHashMismatch, "")) { try store.put(Array("a lie".utf8), expecting: claimed) }
            #expect(!store.contains(claimed))
            #expect(!store.contains(SHA256Digest(hashing: Array("a lie".utf8))))
            #expect(try store.put(Array("honest".utf8), expecting: SHA256Digest(hashing: Array("honest".utf8))) == SHA256Digest(hashing: Array("honest".utf8)))
        }
    }

    @Test("the inventory lists each blob with its size, skips foreign files, and removes abandoned partial writes")
    func inventory() async throws {
        try await withTemporaryDirectory { directory in
            let store = try BlobStore(directory: directory)
            let small = try store.put(Array("small".utf8))
            let large = try store.put([UInt8](repeating: 9, count: 1_000))
            let manager = FileManager.default
            #expect(manager.createFile(atPath: directory + "/notes.txt", contents: Data("not a blob".utf8)))
            #expect(manager.createFile(atPath: directory + "/" + small.hexString.uppercased(), contents: Data()))
            let partial = directory + "/.\(large.hexString).crashed.partial"
            #expect(manager.createFile(atPath: partial, contents: Data([1, 2, 3])))

            let entries = try store.inventory()
            #expect(entries.map(\.id) == [small, large].sorted { $0.hexString < $1.hexString })
            #expect(Dictionary(uniqueKeysWithValues: entries.map { ($0.id, $0.bytes) }) == [small: 5, large: 1_000])
            #expect(manager.fileExists(atPath: partial), "a write in progress is younger than the cut-off")

            _ = try store.inventory(removingWritesAbandonedBefore: Date().addingTimeInterval(60))
            #expect(!manager.fileExists(atPath: partial))
            #expect(manager.fileExists(atPath: directory + "/notes.txt"), "files of others are left alone")
        }
    }
}
