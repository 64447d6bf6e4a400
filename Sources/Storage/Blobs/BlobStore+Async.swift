// BlobStore's reads and writes off the Swift concurrency threads.

public import DeAICore
internal import Dispatch

extension BlobStore {
    /// ``put(_:expecting:durability:)`` on a dispatch thread made for blocking work, so that waiting for the
    /// disk (two fsyncs per durable blob) never holds one of the few threads async code runs on.
    /// - Throws: what ``put(_:expecting:durability:)`` throws.
    @discardableResult
    public func store(
        _ bytes: [UInt8], expecting expected: SHA256Digest? = nil, durability: Durability = .durable
    ) async throws(StorageError) -> SHA256Digest {
        try await Self.offload { () throws(StorageError) in try self.put(bytes, expecting: expected, durability: durability) }
    }

    /// ``get(_:)`` on a dispatch thread made for blocking work.
    /// - Throws: what ``get(_:)`` throws.
    public func load(_ id: SHA256Digest) async throws(StorageError) -> [UInt8]? {
        try await Self.offload { () throws(StorageError) in try self.get(id) }
    }

    private static func offload<Value: Sendable>(
        _ work: @escaping @Sendable () throws(StorageError) -> Value
    ) async throws(StorageError) -> Value {
        let result: Result<Value, StorageError> = await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                do throws(StorageError) {
                    continuation.resume(returning: .success(try work()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
