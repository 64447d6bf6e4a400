// APITypes: what a node's blob store accepts, and how long it keeps what nobody names.

/// The limits of a node's blob store, which `PUT /v1/blobs/{hash}` serves to anyone who can reach the API.
///
/// A blob the chain names (a task's model, a revealed update, an attested aggregate) is accepted from anyone. A
/// blob it does not name yet is accepted only from an account holding stake, signed (``BlobUploadSignature``),
/// while that account's unnamed blobs stay within ``quotaBytesPerAccount``. Blobs the chain still does not name
/// after ``unreferencedGraceSeconds`` are deleted. Nothing is stored past ``maxTotalBytes``.
public struct BlobPolicy: Sendable, Hashable {
    /// Bytes of blobs the chain does not name yet that one account may have stored at once.
    public var quotaBytesPerAccount: Int
    /// Bytes the blob store holds at most; beyond, uploads are refused with 507.
    public var maxTotalBytes: Int
    /// Seconds a blob the chain does not name is kept after it was stored: longer than the longest wait between
    /// publishing a blob and the transaction that names it (an update's commit and reveal phases).
    public var unreferencedGraceSeconds: Int

    /// A policy with defaults: 1 GiB per account, 64 GiB in all, an hour's grace.
    public init(quotaBytesPerAccount: Int = 1 << 30, maxTotalBytes: Int = 64 << 30, unreferencedGraceSeconds: Int = 3_600) {
        self.quotaBytesPerAccount = quotaBytesPerAccount
        self.maxTotalBytes = maxTotalBytes
        self.unreferencedGraceSeconds = unreferencedGraceSeconds
    }
}
