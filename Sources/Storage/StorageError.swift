// The one error type of Storage.

public import DeAICore

/// An error from the node's database, with what to do about it in the message.
public struct StorageError: CodedError, Sendable {
    /// What kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// The database file could not be opened or created.
        case openFailed = "open_failed"
        /// The file is not an intact DeAI database: unreadable, or a stored value does not decode.
        case corrupt
        /// The file is a SQLite database of another program. (A DeAI database of another chain is refused when the
        /// chain opens it, by `Chain.open`, which compares the chain ID and genesis hash it records.)
        case foreignDatabase = "foreign_database"
        /// The database holds no chain yet.
        case notInitialized = "not_initialized"
        /// The database already holds a chain.
        case alreadyInitialized = "already_initialized"
        /// A write failed; nothing of it was committed.
        case writeFailed = "write_failed"
        /// A read failed.
        case readFailed = "read_failed"
        /// A blob is larger than the store accepts.
        case blobTooLarge = "blob_too_large"
        /// A blob's bytes do not hash to the identifier it was stored or fetched under.
        case blobHashMismatch = "blob_hash_mismatch"
    }

    /// What kind of failure.
    public var code: Code
    /// A sentence for a person.
    public var message: String
    /// The underlying error, if any.
    public var cause: (any Error & Sendable)?
    /// Where the error was raised.
    public var location: String

    /// An error of `code` with a message and an optional cause.
    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.cause = cause
        self.location = "\(file):\(line)"
    }
}

