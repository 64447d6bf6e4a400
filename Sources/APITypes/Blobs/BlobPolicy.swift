// APITypes: what a node's blob store accepts, and how long it keeps what nobody names.

/// The limits of a node's blob store, which `PUT /v1/blobs/{hash}` serves to anyone who can reach the API.
///
/// A blob the chain names (a task's model, a revealed update, an attested aggregate) is accepted from anyone. A
/// blob it does not name yet is accepted only from an account holding stake, signed (``BlobUploadSignature``),
/// while that account's unnamed blobs stay within its quota: ``quotaBytesPerStake`` per token at stake, at most
/// ``quotaBytesPerAccount``. Blobs the chain still does not name after ``unreferencedGraceSeconds`` are deleted.
/// Nothing is stored past ``maxTotalBytes``.
public struct BlobPolicy: Sendable, Hashable {
    /// Bytes of blobs the chain does not name yet that one account may have stored at once, whatever its stake.
    public var quotaBytesPerAccount: Int
    /// Bytes of such blobs each token an account has at stake allows: filling the store takes stake in proportion,
    /// however many accounts it is spread over.
    public var quotaBytesPerStake: Int
    /// Bytes the blob store holds at most; beyond, uploads are refused with 507.
    public var maxTotalBytes: Int
    /// Seconds a blob the chain does not name is kept after it was stored: longer than the longest wait between
    /// publishing a blob and the transaction that names it (an update's commit and reveal phases).
    public var unreferencedGraceSeconds: Int

    /// The quota of an account with `stake` tokens at stake.
    public func quota(stake: UInt64) -> Int {
        let (bytes, overflow) = UInt64(self.quotaBytesPerStake).multipliedReportingOverflow(by: stake)
        return overflow || bytes > UInt64(self.quotaBytesPerAccount) ? self.quotaBytesPerAccount : Int(bytes)
    }

    /// A policy with defaults: 64 KiB per token at stake and at most 1 GiB per account, 64 GiB in all, an hour's
    /// grace.
    public init(
        quotaBytesPerAccount: Int = 1 << 30, quotaBytesPerStake: Int = 64 << 10, maxTotalBytes: Int = 64 << 30,
        unreferencedGraceSeconds: Int = 3_600
    ) {
        self.quotaBytesPerAccount = quotaBytesPerAccount
        self.quotaBytesPerStake = quotaBytesPerStake
        self.maxTotalBytes = maxTotalBytes
        self.unreferencedGraceSeconds = unreferencedGraceSeconds
    }
}
