// `deai keys`: the named keys of the home's keystore.

import ArgumentParser
import DeAICore
import Foundation
import Node

/// `deai keys new | list | show | import | export | encrypt`.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage the named Ed25519 keys in <home>/keys (files readable only by you).",
        subcommands: [NewKey.self, ListKeys.self, ShowKey.self, ImportKey.self, ExportKey.self, EncryptKeys.self]
    )

    /// Prints one key: `name  address  public key`.
    static func describe(_ key: KeyInfo) -> [String] {
        Output.table([
            ("name", key.name), ("address", key.address.description), ("public key", key.publicKey.description),
            ("encrypted", key.encrypted ? "yes" : "no"),
        ])
    }
}

/// `deai keys new NAME`.
struct NewKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a new random key (encrypted when a passphrase is given)."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var passphrase: PassphraseOptions
    @Argument(help: "The key's name: letters, digits, '-' or '_'") var name: String

    func run() async throws {
        let key = try self.global.nodeHome.keystore.create(self.name, passphrase: try self.passphrase.passphrase())
        try Output.emit(key, json: self.global.json, human: KeysCommand.describe)
    }
}

/// `deai keys list`.
struct ListKeys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the keys.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let keys = try self.global.nodeHome.keystore.list()
        try Output.emit(keys, json: self.global.json) { keys in
            keys.isEmpty
                ? ["no keys in \(self.global.nodeHome.keysDirectory)"]
                : Output.table(keys.map { ($0.name, $0.address.description + ($0.encrypted ? "  (encrypted)" : "")) })
        }
    }
}

/// `deai keys show NAME`.
struct ShowKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a key's address and public key."
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The key's name") var name: String

    func run() async throws {
        let key = try self.global.nodeHome.keystore.info(self.name)
        try Output.emit(key, json: self.global.json, human: KeysCommand.describe)
    }
}

/// `deai keys import NAME (--seed-hex HEX | --file PATH)`.
struct ImportKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a key from its 32-byte seed in hex or from an exported key file."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var passphrase: PassphraseOptions
    @Argument(help: "The name to store the key under") var name: String
    @Option(help: "The 32-byte Ed25519 seed, 64 hex digits") var seedHex: String?
    @Option(help: "A file written by `deai keys export` (imported unchanged)") var file: String?

    func validate() throws {
        guard (self.seedHex == nil) != (self.file == nil) else {
            throw ValidationError("give exactly one of --seed-hex or --file")
        }
    }

    func run() async throws {
        let keystore = self.global.nodeHome.keystore
        let key: KeyInfo
        if let path = self.file {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CLIError("cannot read \(path)")
            }
            key = try keystore.importKey(self.name, exportedFile: data, source: path)
        } else {
            key = try keystore.importKey(
                self.name,
                seedHex: self.seedHex ?? "",
                passphrase: try self.passphrase.passphrase()
            )
        }
        try Output.emit(key, json: self.global.json, human: KeysCommand.describe)
    }
}

/// `deai keys export NAME`.
struct ExportKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print a key's file (JSON, encrypted if the key is) for `deai keys import --file`.",
        discussion: "An unencrypted key's file holds its seed: whoever reads it can spend the account's tokens."
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The key's name") var name: String

    func run() async throws {
        let bytes = try self.global.nodeHome.keystore.export(self.name)
        FileHandle.standardOutput.write(Data(bytes))
    }
}

/// `deai keys encrypt --passphrase-file FILE` (or `DEAI_PASSPHRASE`).
struct EncryptKeys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encrypt",
        abstract: "Encrypt every private key of the home in place: the node and validator keys and keys/*.json.",
        discussion: "Keys already encrypted must open with the same passphrase; then one passphrase unlocks the home."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var passphrase: PassphraseOptions

    func run() async throws {
        guard let passphrase = try self.passphrase.passphrase() else {
            throw CLIError("give the passphrase with --passphrase-file FILE or DEAI_PASSPHRASE")
        }
        let results = try self.global.nodeHome.encryptKeys(passphrase: passphrase)
        try Output.emit(results, json: self.global.json) { results in
            results.map { "\($0.outcome)  \($0.path)" }
        }
    }
}
