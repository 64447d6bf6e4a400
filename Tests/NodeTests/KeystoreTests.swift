// The keystore: named keys, import and export, encryption, file permissions.

import DeAICore
import Foundation
import Node
import Testing

@Suite("Keystore")
struct KeystoreTests {
    /// Cheap scrypt parameters so the tests stay fast; the format is the same as with the defaults.
    private static let fastKDF = ScryptParameters(n: 1 << 10, r: 8, p: 1)

    @Test("a new key is listed, shown and signs as its address")
    func roundTrip() async throws {
        try await withTemporaryDirectory { directory in
            let keystore = Keystore(directory: directory + "/keys")
            let created = try keystore.create("alice", passphrase: nil)
            try keystore.create("bob", passphrase: nil)

            #expect(try keystore.list().map(\.name) == ["alice", "bob"])
            #expect(try keystore.info("alice") == created)
            let key = try keystore.signingKey("alice", passphrase: nil)
            #expect(key.verifyingKey == created.publicKey)
            #expect(key.verifyingKey.address == created.address)
            #expect(!created.encrypted)
        }
    }

    @Test("an exported file imports elsewhere as the same key; a seed imports as its key")
    func importAndExport() async throws {
        try await withTemporaryDirectory { directory in
            let first = Keystore(directory: directory + "/a")
            let second = Keystore(directory: directory + "/b")
            let original = try first.create("alice", passphrase: nil)
            let exported = try first.export("alice")
            let imported = try second.importKey("carol", exportedFile: Data(exported), source: "export")
            #expect(imported.address == original.address)
            #expect(
                try second.signingKey("carol", passphrase: nil).rawRepresentation
                    == first.signingKey("alice", passphrase: nil).rawRepresentation
            )

            let seed = [UInt8](repeating: 7, count: 32)
            let fromSeed = try second.importKey("dave", seedHex: seed.hexString, passphrase: nil)
            #expect(fromSeed.publicKey == (try SigningKey(rawRepresentation: seed)).verifyingKey)
            #expect(throws: NodeError(.invalidKeyFile, "")) {
                try second.importKey("eve", seedHex: "abcd", passphrase: nil)
            }
            #expect(throws: NodeError(.keyAlreadyExists, "")) {
                try second.importKey("dave", seedHex: seed.hexString, passphrase: nil)
            }
        }
    }

    @Test("an encrypted key opens with its passphrase only, and its file holds no seed")
    func encryption() async throws {
        try await withTemporaryDirectory { directory in
            let keystore = Keystore(directory: directory, kdf: Self.fastKDF)
            let info = try keystore.create("alice", passphrase: "correct horse")
            #expect(info.encrypted)
            let key = try keystore.signingKey("alice", passphrase: "correct horse")
            #expect(key.verifyingKey == info.publicKey)

            #expect(throws: NodeError(.wrongPassphrase, "")) {
                try keystore.signingKey("alice", passphrase: "battery staple")
            }
            #expect(throws: NodeError(.passphraseRequired, "")) {
                try keystore.signingKey("alice", passphrase: nil)
            }
            let file = String(decoding: try keystore.export("alice"), as: UTF8.self)
            #expect(!file.contains(key.rawRepresentation.hexString))
            #expect(file.contains("\"scrypt\""))
            #expect(file.contains("\"salt\""))
        }
    }

    @Test("a wrong passphrase error names the key file")
    func wrongPassphraseMessage() async throws {
        try await withTemporaryDirectory { directory in
            let keystore = Keystore(directory: directory, kdf: Self.fastKDF)
            try keystore.create("alice", passphrase: "one")
            do {
                _ = try keystore.signingKey("alice", passphrase: "two")
                Issue.record("a wrong passphrase opened the key")
            } catch let error as NodeError {
                #expect(error.message.contains("alice.json"))
                #expect(error.message.contains("wrong passphrase"))
            }
        }
    }

    @Test("key files have mode 0600 and the key directory 0700")
    func filePermissions() async throws {
        try await withTemporaryDirectory { directory in
            let keystore = Keystore(directory: directory + "/keys", kdf: Self.fastKDF)
            try keystore.create("plain", passphrase: nil)
            try keystore.create("secret", passphrase: "pass")
            #expect(try permissions(of: keystore.path(of: "plain")) == 0o600)
            #expect(try permissions(of: keystore.path(of: "secret")) == 0o600)
            #expect(try permissions(of: directory + "/keys") == 0o700)
        }
    }

    @Test("unknown and invalid names are clear errors", arguments: ["../evil", "", "a b", "x/y"])
    func invalidNames(name: String) async throws {
        try await withTemporaryDirectory { directory in
            let keystore = Keystore(directory: directory)
            #expect(throws: NodeError(.invalidKeyName, "")) { try keystore.create(name, passphrase: nil) }
            #expect(throws: NodeError(.keyNotFound, "")) { try keystore.info("nobody") }
        }
    }
}
