// Keys at rest: with a passphrase every private key of a home is encrypted, and a plain home can be encrypted.

import Foundation
import Testing

@Suite("Keys at rest")
struct KeyEncryptionTests {
    /// The key files of a home: the node's, the validator's and `keys/default.json`.
    private func keyFiles(_ home: String) -> [String] {
        ["node_key.json", "validator_key.json", "keys/default.json"].map { home + "/" + $0 }
    }

    /// Whether the key file at `path` holds an encrypted seed and no plain one, with mode 0600.
    private func isEncrypted(_ path: String) throws -> Bool {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        return object?["encryption"] != nil && object?["seed"] == nil && mode == 0o600
    }

    @Test("init with a passphrase encrypts the node and validator keys too; the node starts only with it")
    func encryptedHome() async throws {
        try await withTemporaryDirectory { directory in
            let home = directory + "/home"
            let initialized = try await DeAIExecutable.run(["init", "--home", home], environment: ["DEAI_PASSPHRASE": "s3cret"])
            #expect(initialized.status == 0, "\(initialized.stderr)")
            for file in self.keyFiles(home) { #expect(try self.isEncrypted(file), "\(file)") }

            let locked = try await DeAIExecutable.run(["start", "--home", home, "--api-port", "0"], environment: ["DEAI_PASSPHRASE": ""])
            #expect(locked.status != 0)
            #expect(locked.stderr.contains("validator_key.json is encrypted"), "\(locked.stderr)")

            let passphraseFile = directory + "/passphrase"
            try Data("s3cret\n".utf8).write(to: URL(fileURLWithPath: passphraseFile))
            try await withRunningNode(home: home, arguments: ["--passphrase-file", passphraseFile]) { node in
                let status = try await DeAIExecutable.run(["query", "status", "--json", "--node", node.url])
                #expect(status.status == 0, "\(status.stderr)")
            }
        }
    }

    @Test("deai keys encrypt encrypts a plain home in place, checks keys already encrypted, changes nothing on a wrong passphrase")
    func encryptInPlace() async throws {
        try await withTemporaryDirectory { directory in
            let home = directory + "/home"
            #expect(try await DeAIExecutable.run(["init", "--home", home]).status == 0)
            let vault = try await DeAIExecutable.run(["keys", "new", "vault", "--home", home], environment: ["DEAI_PASSPHRASE": "other"])
            #expect(vault.status == 0, "\(vault.stderr)")
            let before = try self.keyFiles(home).map { try Data(contentsOf: URL(fileURLWithPath: $0)) }

            let refused = try await DeAIExecutable.run(["keys", "encrypt", "--home", home], environment: ["DEAI_PASSPHRASE": "s3cret"])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("wrong passphrase"), "\(refused.stderr)")
            #expect(try self.keyFiles(home).map { try Data(contentsOf: URL(fileURLWithPath: $0)) } == before)

            try FileManager.default.removeItem(atPath: home + "/keys/vault.json")
            let encrypted = try await DeAIExecutable.run(["keys", "encrypt", "--home", home], environment: ["DEAI_PASSPHRASE": "s3cret"])
            #expect(encrypted.status == 0, "\(encrypted.stderr)")
            #expect(encrypted.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("encrypted ") }.count == 3)
            for file in self.keyFiles(home) { #expect(try self.isEncrypted(file), "\(file)") }
            let again = try await DeAIExecutable.run(["keys", "encrypt", "--home", home], environment: ["DEAI_PASSPHRASE": "s3cret"])
            #expect(again.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("already encrypted") }.count == 3)
        }
    }
}
