// One Ed25519 key in a JSON file, optionally encrypted.

public import DeAICore
public import Foundation

/// The JSON file that holds one Ed25519 signing key: `keys/NAME.json`, `node_key.json`, `validator_key.json`.
///
/// ```json
/// { "version": 1, "address": "deai1…", "public_key": "…64 hex…", "seed": "…64 hex…" }
/// ```
/// An encrypted file has `encryption` instead of `seed`: scrypt parameters and salt, and the ChaCha20-Poly1305
/// box (nonce ‖ ciphertext ‖ tag) of the seed, authenticated together with the address (see
/// ``KeyFile+Encryption.swift``). The address and public key stay readable so that `deai keys list` needs no
/// passphrase.
public struct KeyFile: Sendable, Hashable, Codable {
    /// The file format's version.
    public var version: Int
    /// The key's account address.
    public var address: Address
    /// The key's public half.
    public var publicKey: VerifyingKey
    /// The 32-byte seed as hex, when the file is not encrypted.
    public var seed: String?
    /// How the seed is encrypted, when it is.
    public var encryption: Encryption?

    /// The encrypted seed and how to decrypt it.
    public struct Encryption: Sendable, Hashable, Codable {
        /// Always `scrypt`.
        public var kdf: String
        /// The scrypt cost parameters.
        public var kdfParameters: ScryptParameters
        /// The scrypt salt, hex.
        public var salt: String
        /// Always `chacha20-poly1305`.
        public var cipher: String
        /// The sealed box, hex: 12-byte nonce ‖ ciphertext ‖ 16-byte tag.
        public var box: String

        private enum CodingKeys: String, CodingKey {
            case kdf
            case kdfParameters = "kdf_parameters"
            case salt, cipher, box
        }
    }

    private enum CodingKeys: String, CodingKey {
        case version, address
        case publicKey = "public_key"
        case seed, encryption
    }

    /// The file of `key`, encrypted with `passphrase` when one is given.
    ///
    /// - Throws: ``NodeError`` (`invalidKeyFile`) when encryption fails.
    public init(key: SigningKey, passphrase: String?, kdf: ScryptParameters = .default) throws {
        self.version = 1
        self.publicKey = key.verifyingKey
        self.address = key.verifyingKey.address
        if let passphrase {
            self.seed = nil
            self.encryption = try Self.encrypt(
                key.rawRepresentation,
                address: self.address,
                passphrase: passphrase,
                kdf: kdf
            )
        } else {
            self.seed = key.rawRepresentation.hexString
            self.encryption = nil
        }
    }

    /// Whether the seed is encrypted.
    public var isEncrypted: Bool { self.encryption != nil }

    /// The signing key, decrypted with `passphrase` when the file is encrypted.
    ///
    /// - Parameter path: The file's path, for error messages.
    /// - Throws: ``NodeError``: `passphraseRequired`, `wrongPassphrase`, or `invalidKeyFile` when the seed does
    ///   not give the file's public key.
    public func signingKey(passphrase: String?, path: String) throws -> SigningKey {
        let seed: [UInt8]
        if let encryption = self.encryption {
            guard let passphrase else {
                throw NodeError(
                    .passphraseRequired,
                    "key file \(path) is encrypted: give --passphrase-file FILE or set DEAI_PASSPHRASE"
                )
            }
            seed = try Self.decrypt(encryption, address: self.address, passphrase: passphrase, path: path)
        } else if let hex = self.seed, let bytes = try? [UInt8](hexString: hex) {
            seed = bytes
        } else {
            throw NodeError(.invalidKeyFile, "key file \(path) has neither a valid seed nor an encrypted one")
        }
        let key: SigningKey
        do {
            key = try SigningKey(rawRepresentation: seed)
        } catch {
            throw NodeError(.invalidKeyFile, "key file \(path) holds an invalid Ed25519 seed", cause: error)
        }
        guard key.verifyingKey == self.publicKey, self.publicKey.address == self.address else {
            throw NodeError(.invalidKeyFile, "key file \(path): the seed does not match the public key or address")
        }
        return key
    }

    // MARK: - Files

    /// Reads and parses the key file at `path`.
    ///
    /// - Throws: ``NodeError``: `keyNotFound` when there is no file, `invalidKeyFile` when it does not parse.
    public static func read(from path: String) throws -> KeyFile {
        guard FileManager.default.fileExists(atPath: path) else {
            throw NodeError(.keyNotFound, "no key file at \(path)")
        }
        return try Self.decode(try SecureFile.read(path), path: path)
    }

    /// Parses a key file's contents.
    ///
    /// - Parameter path: Where the bytes come from, for error messages.
    /// - Throws: ``NodeError`` (`invalidKeyFile`).
    public static func decode(_ data: Data, path: String) throws -> KeyFile {
        let file: KeyFile
        do {
            file = try JSONDecoder().decode(KeyFile.self, from: data)
        } catch {
            throw NodeError(.invalidKeyFile, "key file \(path) is not a valid DeAI key file", cause: error)
        }
        guard file.version == 1 else {
            throw NodeError(.invalidKeyFile, "key file \(path) has unsupported version \(file.version)")
        }
        guard file.publicKey.address == file.address else {
            throw NodeError(.invalidKeyFile, "key file \(path): the address is not the public key's")
        }
        return file
    }

    /// The file as pretty-printed JSON.
    public var jsonBytes: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, integers and nested structs of them cannot fail.
        let data = (try? encoder.encode(self)) ?? Data()
        return Array(data) + [UInt8(ascii: "\n")]
    }

    /// Writes the file to `path` with mode 0600.
    ///
    /// - Throws: ``NodeError`` (`fileSystem`).
    public func write(to path: String) throws {
        try SecureFile.write(self.jsonBytes, to: path)
    }
}
