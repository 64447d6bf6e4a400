// DeAICore: computing SHA-256 digests, plain and domain-separated.

internal import Crypto
public import Foundation

extension SHA256Digest {
    /// Computes SHA-256 of `bytes`.
    public init(hashing bytes: some DataProtocol) {
        self.init(SHA256.hash(data: bytes))
    }

    /// Computes a domain-separated SHA-256: SHA-256(len(domain) ‖ domain ‖ bytes).
    ///
    /// The one-byte length prefix keeps domains from running into the data: `("ab", "c")` and `("a", "bc")`
    /// hash differently. Use a distinct constant domain per purpose (transaction signing, block IDs, …) so
    /// that bytes signed or hashed for one purpose can never be replayed as another.
    ///
    /// - Precondition: `domain` is at most 255 bytes of UTF-8 (domains are constants in code).
    public init(domain: String, hashing bytes: some DataProtocol) {
        let domainBytes = Array(domain.utf8)
        precondition(domainBytes.count <= 255, "SHA256Digest: a hashing domain is at most 255 bytes")
        var hasher = SHA256()
        hasher.update(data: [UInt8(domainBytes.count)])
        hasher.update(data: domainBytes)
        hasher.update(data: bytes)
        self.init(hasher.finalize())
    }

    /// Converts a swift-crypto digest.
    init(_ digest: SHA256.Digest) {
        self = digest.withUnsafeBytes { SHA256Digest(loadingFrom: $0) }
    }

    /// Hashes the raw bytes of `buffer` without copying them.
    init(hashingBuffer buffer: UnsafeRawBufferPointer) {
        var hasher = SHA256()
        hasher.update(bufferPointer: buffer)
        self.init(hasher.finalize())
    }
}
