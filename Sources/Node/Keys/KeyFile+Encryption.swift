// Encrypting a key file's seed with a passphrase: scrypt, then ChaCha20-Poly1305.

import Crypto
import DeAICore
import Foundation
import _CryptoExtras

extension KeyFile {
    /// Seals `seed` under a key derived from `passphrase` by scrypt with a fresh 16-byte salt.
    ///
    /// The address is authenticated with the seed (associated data), so a box cannot be moved to another file.
    static func encrypt(
        _ seed: [UInt8],
        address: Address,
        passphrase: String,
        kdf: ScryptParameters
    ) throws -> Encryption {
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max) }
        do {
            let key = try Self.deriveKey(passphrase: passphrase, salt: salt, kdf: kdf)
            let box = try ChaChaPoly.seal(seed, using: key, authenticating: address.bytes)
            return Encryption(
                kdf: "scrypt",
                kdfParameters: kdf,
                salt: salt.hexString,
                cipher: "chacha20-poly1305",
                box: Array(box.combined).hexString
            )
        } catch {
            throw NodeError(.invalidKeyFile, "cannot encrypt the key", cause: error)
        }
    }

    /// Opens the box with the key derived from `passphrase`.
    ///
    /// - Throws: ``NodeError``: `wrongPassphrase` when authentication fails, `invalidKeyFile` for a malformed
    ///   encryption section.
    static func decrypt(_ encryption: Encryption, address: Address, passphrase: String, path: String) throws -> [UInt8]
    {
        guard encryption.kdf == "scrypt", encryption.cipher == "chacha20-poly1305",
            encryption.kdfParameters.isReasonable,
            let salt = try? [UInt8](hexString: encryption.salt),
            let combined = try? [UInt8](hexString: encryption.box),
            let box = try? ChaChaPoly.SealedBox(combined: combined)
        else {
            throw NodeError(.invalidKeyFile, "key file \(path) has an unsupported or malformed encryption section")
        }
        let key: SymmetricKey
        do {
            key = try Self.deriveKey(passphrase: passphrase, salt: salt, kdf: encryption.kdfParameters)
        } catch {
            throw NodeError(.invalidKeyFile, "key file \(path): scrypt failed", cause: error)
        }
        do {
            return Array(try ChaChaPoly.open(box, using: key, authenticating: address.bytes))
        } catch {
            throw NodeError(.wrongPassphrase, "key file \(path): wrong passphrase")
        }
    }

    private static func deriveKey(passphrase: String, salt: [UInt8], kdf: ScryptParameters) throws -> SymmetricKey {
        try KDF.Scrypt.deriveKey(
            from: Array(passphrase.utf8),
            salt: salt,
            outputByteCount: 32,
            rounds: kdf.n,
            blockSize: kdf.r,
            parallelism: kdf.p
        )
    }
}
