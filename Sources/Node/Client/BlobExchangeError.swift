// Node: why a blob could not be fetched or published.

public import DeAICore
public import Storage

/// Why ``BlobExchange`` could not fetch or publish a blob, with what each peer did.
public enum BlobExchangeError: Error, Sendable, CustomStringConvertible {
    /// What went wrong with one peer.
    public struct Attempt: Sendable, CustomStringConvertible {
        /// What the peer did.
        public enum Failure: Sendable {
            /// It answered 404: it does not hold the blob.
            case notHeld
            /// It served bytes that hash to `received`, not to the blob asked for: a faulty or lying peer.
            case wrongBytes(received: SHA256Digest)
            /// It served more bytes than the local store accepts.
            case tooLarge(bytes: Int)
            /// It could not be reached, refused the request or answered something else.
            case failed(NodeClientError)
        }

        /// The peer's base URL.
        public var peer: String
        /// What it did.
        public var failure: Failure

        /// An attempt with every field given.
        public init(peer: String, failure: Failure) {
            self.peer = peer
            self.failure = failure
        }

        /// `peer: what happened`.
        public var description: String {
            switch self.failure {
            case .notHeld: "\(self.peer) does not hold it"
            case .wrongBytes(let received):
                "\(self.peer) served bytes that hash to \(received) (a faulty or lying peer)"
            case .tooLarge(let bytes): "\(self.peer) served \(bytes) bytes, more than the local store accepts"
            case .failed(let error): "\(self.peer): \(error)"
            }
        }
    }

    /// The blob is not held locally and no peer served its bytes: each peer's attempt, in the order tried (none
    /// when there are no peers).
    case unavailable(SHA256Digest, attempts: [Attempt])
    /// The blob was stored locally, but these peers did not take it; every other peer did.
    case uploadFailed(SHA256Digest, attempts: [Attempt])
    /// The local blob store failed: unreadable, unwritable, a corrupt local copy, or a blob over its limit.
    case localStore(StorageError)

    /// One line for a person.
    public var description: String {
        switch self {
        case .unavailable(let hash, let attempts) where attempts.isEmpty:
            "blob \(hash) is not held locally and there are no peers to fetch it from"
        case .unavailable(let hash, let attempts):
            "no peer served blob \(hash): " + attempts.map(\.description).joined(separator: "; ")
        case .uploadFailed(let hash, let attempts):
            "blob \(hash) is stored locally but \(attempts.count) peer(s) did not take it: "
                + attempts.map(\.description).joined(separator: "; ")
        case .localStore(let error):
            "the local blob store failed: \(error)"
        }
    }
}
