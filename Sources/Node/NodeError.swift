// The one error type of the Node target.

public import DeAICore

/// An error from setting up or running a node: its home directory, keys, configuration or database.
///
/// The message names the file involved and says what to do, so that `deai` can print it as one line:
/// ```
/// key file /home/me/.deai/keys/alice.json: wrong passphrase
/// ```
public struct NodeError: CodedError, Sendable {
    /// What kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// The home directory is already initialized and `--force` was not given.
        case homeAlreadyInitialized = "home_already_initialized"
        /// A file the home directory should hold is missing: run `deai init` first.
        case homeNotInitialized = "home_not_initialized"
        /// There is no key with this name in the keystore.
        case keyNotFound = "key_not_found"
        /// A key with this name already exists.
        case keyAlreadyExists = "key_already_exists"
        /// A key name with characters other than letters, digits, `-` and `_`, or too long.
        case invalidKeyName = "invalid_key_name"
        /// A key file that does not parse, or whose key does not match its address.
        case invalidKeyFile = "invalid_key_file"
        /// The key is encrypted and no passphrase was given.
        case passphraseRequired = "passphrase_required"
        /// The passphrase does not decrypt the key.
        case wrongPassphrase = "wrong_passphrase"
        /// A configuration or genesis file that does not parse, or a value out of range.
        case invalidConfiguration = "invalid_configuration"
        /// The database is corrupt, or belongs to another chain.
        case databaseMismatch = "database_mismatch"
        /// Reading or writing a file failed.
        case fileSystem = "file_system"
        /// The database is behind what the validator signed: it was lost, truncated or rolled back.
        case databaseBehind = "database_behind"
        /// A node started in the background stopped before its API listened.
        case apiUnavailable = "api_unavailable"
        /// The validator key file does not hold the key this home's validator signed with.
        case validatorKeyChanged = "validator_key_changed"
        /// An address the node must listen on is taken.
        case addressInUse = "address_in_use"
    }

    /// What kind of failure.
    public var code: Code
    /// One sentence for a person, naming the file involved.
    public var message: String
    /// The underlying error, if any.
    public var cause: (any Error & Sendable)?
    /// Where the error was raised (`#fileID:#line`).
    public var location: String

    /// An error of `code`.
    public init(
        _ code: Code,
        _ message: String,
        cause: (any Error & Sendable)? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.cause = cause
        self.location = "\(file):\(line)"
    }
}

