// NodeHome+KeyEncryption: every private key of a home encrypted in place with one passphrase.

import DeAICore
import Foundation

extension NodeHome {
    /// What encrypting one key file did.
    public struct KeyEncryption: Sendable, Encodable {
        /// The key file.
        public var path: String
        /// `encrypted` (it was plain), or `already encrypted` (with this passphrase).
        public var outcome: String
    }

    /// Encrypts every plain key file of the home with `passphrase`: the node key, the validator key and every key
    /// of `keys/`, each rewritten atomically with mode 0600. A file already encrypted is checked to open with
    /// `passphrase`, so that one passphrase unlocks the whole home afterwards.
    /// - Throws: ``NodeError``: `wrongPassphrase` for a file encrypted with another passphrase (no file after it
    ///   is changed), `invalidKeyFile`, `fileSystem`.
    public func encryptKeys(passphrase: String) throws -> [KeyEncryption] {
        let keys = try self.keystore.list().map { try self.keystore.path(of: $0.name) }
        let paths = [self.nodeKeyFile, self.validatorKeyFile].filter { FileManager.default.fileExists(atPath: $0) } + keys
        // Read and check every file before writing any, so that a wrong passphrase changes nothing.
        let files = try paths.map { path in (path, try KeyFile.read(from: path)) }
        for (path, file) in files where file.isEncrypted { _ = try file.signingKey(passphrase: passphrase, path: path) }
        return try files.map { path, file in
            guard !file.isEncrypted else { return KeyEncryption(path: path, outcome: "already encrypted") }
            let key = try file.signingKey(passphrase: nil, path: path)
            try KeyFile(key: key, passphrase: passphrase, kdf: self.keystore.kdf).write(to: path)
            return KeyEncryption(path: path, outcome: "encrypted")
        }
    }
}
