// APITypes: the answer to storing a blob.

public import DeAICore

/// A blob the node holds: its identifier (the SHA-256 of its bytes) and its size.
public struct BlobView: Codable, Sendable, Hashable {
    /// The SHA-256 of the bytes.
    public var hash: SHA256Digest
    /// The size in bytes.
    public var bytes: Int

    /// The view of a blob of `bytes` bytes stored under `hash`.
    public init(hash: SHA256Digest, bytes: Int) {
        self.hash = hash
        self.bytes = bytes
    }
}
