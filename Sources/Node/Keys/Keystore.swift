// Named account keys in a directory.

public import DeAICore
public import Foundation

/// Named Ed25519 account keys, one ``KeyFile`` per name in a directory (a home's `keys/`).
///
/// ```swift
/// let keystore = home.keystore
/// let alice = try keystore.create("alice", passphrase: nil)
/// let key = try keystore.signingKey("alice", passphrase: nil)
/// ```
/// Names are 1 to 64 letters, digits, `-` or `_`, so that a name is always a plain file name. Files have mode
/// 0600. A key is encrypted when a passphrase is given at creation or import.
public struct Keystore: Sendable {
    /// The directory holding the key files.
    public let directory: String
    /// The scrypt cost used when encrypting new keys.
    public var kdf: ScryptParameters

    /// A keystore in `directory`, which is created on the first write.
    public init(directory: String, kdf: ScryptParameters = .default) {
        self.directory = directory
        self.kdf = kdf
    }

    /// Creates a new random key called `name`.
    ///
    /// - Throws: ``NodeError``: `invalidKeyName`, `keyAlreadyExists`, `fileSystem`.
    @discardableResult
    public func create(_ name: String, passphrase: String?) throws -> KeyInfo {
        try self.store(SigningKey(), as: name, passphrase: passphrase)
    }

    /// Stores `key` as `name`.
    ///
    /// - Parameter overwrite: Whether an existing key of that name is replaced (for `deai init --force`).
    /// - Throws: ``NodeError``: `invalidKeyName`, `keyAlreadyExists`, `fileSystem`.
    @discardableResult
    public func store(
        _ key: SigningKey,
        as name: String,
        passphrase: String?,
        overwrite: Bool = false
    ) throws -> KeyInfo {
        let path = try self.path(of: name)
        if !overwrite, FileManager.default.fileExists(atPath: path) {
            throw NodeError(.keyAlreadyExists, "a key named \"\(name)\" already exists (\(path))")
        }
        try SecureFile.createDirectory(self.directory)
        let file = try KeyFile(key: key, passphrase: passphrase, kdf: self.kdf)
        try file.write(to: path)
        return KeyInfo(name: name, file: file)
    }

    /// Imports a key from its 32-byte seed, as 64 hex digits.
    ///
    /// - Throws: ``NodeError``: `invalidKeyFile` for a bad seed, and those of ``store(_:as:passphrase:overwrite:)``.
    @discardableResult
    public func importKey(_ name: String, seedHex: String, passphrase: String?) throws -> KeyInfo {
        let key: SigningKey
        do {
            key = try SigningKey(rawRepresentation: try [UInt8](hexString: seedHex))
        } catch {
            throw NodeError(.invalidKeyFile, "the seed must be 64 hex digits (32 bytes)", cause: error)
        }
        return try self.store(key, as: name, passphrase: passphrase)
    }

    /// Imports an exported key file as `name`, unchanged (an encrypted file stays encrypted).
    ///
    /// - Parameter source: Where the bytes come from, for error messages.
    /// - Throws: ``NodeError``: `invalidKeyFile`, `invalidKeyName`, `keyAlreadyExists`, `fileSystem`.
    @discardableResult
    public func importKey(_ name: String, exportedFile data: Data, source: String) throws -> KeyInfo {
        let file = try KeyFile.decode(data, path: source)
        if !file.isEncrypted { _ = try file.signingKey(passphrase: nil, path: source) }
        let path = try self.path(of: name)
        guard !FileManager.default.fileExists(atPath: path) else {
            throw NodeError(.keyAlreadyExists, "a key named \"\(name)\" already exists (\(path))")
        }
        try SecureFile.createDirectory(self.directory)
        try file.write(to: path)
        return KeyInfo(name: name, file: file)
    }

    /// The key file of `name`, as JSON bytes to import elsewhere.
    ///
    /// - Throws: ``NodeError``: `keyNotFound`, `invalidKeyName`, `invalidKeyFile`.
    public func export(_ name: String) throws -> [UInt8] {
        try self.file(name).jsonBytes
    }

    /// The key called `name`: its address and public key.
    ///
    /// - Throws: ``NodeError``: `keyNotFound`, `invalidKeyName`, `invalidKeyFile`.
    public func info(_ name: String) throws -> KeyInfo {
        KeyInfo(name: name, file: try self.file(name))
    }

    /// Every key, sorted by name. Files that are not key files are skipped.
    ///
    /// - Throws: ``NodeError`` (`fileSystem`) when the directory exists but cannot be read.
    public func list() throws -> [KeyInfo] {
        guard FileManager.default.fileExists(atPath: self.directory) else { return [] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: self.directory)
        } catch {
            throw NodeError(.fileSystem, "cannot list \(self.directory)", cause: error)
        }
        return names.filter { $0.hasSuffix(".json") }.sorted().compactMap { fileName in
            let name = String(fileName.dropLast(".json".count))
            return try? self.info(name)
        }
    }

    /// The signing key of `name`, decrypted with `passphrase` when its file is encrypted.
    ///
    /// - Throws: ``NodeError``: `keyNotFound`, `passphraseRequired`, `wrongPassphrase`, `invalidKeyFile`.
    public func signingKey(_ name: String, passphrase: String?) throws -> SigningKey {
        let path = try self.path(of: name)
        return try self.file(name).signingKey(passphrase: passphrase, path: path)
    }

    /// The path of `name`'s file.
    ///
    /// - Throws: ``NodeError`` (`invalidKeyName`) for a name that is not a plain file name.
    public func path(of name: String) throws -> String {
        guard Self.isValidName(name) else {
            throw NodeError(
                .invalidKeyName,
                "invalid key name \"\(name)\": use 1 to 64 letters, digits, '-' or '_'"
            )
        }
        return (self.directory as NSString).appendingPathComponent(name + ".json")
    }

    /// Whether `name` is 1 to 64 ASCII letters, digits, `-` or `_`.
    public static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            }
    }

    private func file(_ name: String) throws -> KeyFile {
        let path = try self.path(of: name)
        guard FileManager.default.fileExists(atPath: path) else {
            throw NodeError(.keyNotFound, "no key named \"\(name)\" in \(self.directory) (see `deai keys list`)")
        }
        return try KeyFile.read(from: path)
    }
}

/// What can be shown of a key without its secret.
public struct KeyInfo: Sendable, Hashable, Codable {
    /// The key's name in the keystore.
    public var name: String
    /// The account address.
    public var address: Address
    /// The public key.
    public var publicKey: VerifyingKey
    /// Whether the key file is encrypted.
    public var encrypted: Bool

    /// The information of `file`, stored as `name`.
    public init(name: String, file: KeyFile) {
        self.name = name
        self.address = file.address
        self.publicKey = file.publicKey
        self.encrypted = file.isEncrypted
    }

    private enum CodingKeys: String, CodingKey {
        case name, address
        case publicKey = "public_key"
        case encrypted
    }
}
