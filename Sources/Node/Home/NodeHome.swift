// The layout of a node's home directory.

import Foundation

/// The files of a node's home directory (default `~/.deai`).
///
/// ```
/// ~/.deai/
///   config.json          NodeConfiguration (every key optional)
///   genesis.json         the chain's genesis
///   node_key.json        the node's identity key: peers know the node by it (TLS)
///   validator_key.json   the validator's consensus key: signs blocks
///   keys/NAME.json       named account keys (`deai keys`), mode 0600
///   data/chain.sqlite    the chain database
///   data/validator_state.json  the last height, round and step the validator signed
/// ```
/// Directories are created with mode 0700 and key files with mode 0600: only their owner can read them.
public struct NodeHome: Sendable, Hashable {
    /// The home directory, absolute, with `~` expanded.
    public let path: String

    /// The home at `path`; a leading `~` is expanded to the user's home directory.
    public init(path: String) {
        self.path = Self.expandingTilde(in: path)
    }

    /// `config.json`.
    public var configurationFile: String { self.file("config.json") }
    /// `genesis.json`.
    public var genesisFile: String { self.file("genesis.json") }
    /// `node_key.json`.
    public var nodeKeyFile: String { self.file("node_key.json") }
    /// `validator_key.json`.
    public var validatorKeyFile: String { self.file("validator_key.json") }
    /// `keys/`.
    public var keysDirectory: String { self.file("keys") }
    /// `data/`.
    public var dataDirectory: String { self.file("data") }
    /// `data/chain.sqlite`.
    public var databaseFile: String { self.file("data/chain.sqlite") }
    /// `data/validator_state.json`: what the validator signed last (``Consensus/SigningRecord``), saved before
    /// anything signed leaves the node.
    public var signingRecordFile: String { self.file("data/validator_state.json") }
    /// The content-addressed blob store (weights and updates).
    public var blobsDirectory: String { self.file("data/blobs") }

    /// The keystore of this home's `keys/` directory.
    public var keystore: Keystore { Keystore(directory: self.keysDirectory) }

    /// Whether the home holds a genesis file, i.e. `deai init` ran here.
    public var isInitialized: Bool {
        FileManager.default.fileExists(atPath: self.genesisFile)
    }

    /// Creates the home, `keys/` and `data/` with mode 0700 if they do not exist.
    ///
    /// - Throws: ``NodeError`` (`fileSystem`) naming the directory that could not be created.
    public func createDirectories() throws {
        for directory in [self.path, self.keysDirectory, self.dataDirectory] {
            try SecureFile.createDirectory(directory)
        }
    }

    /// The path of `name` inside the home.
    public func file(_ name: String) -> String {
        (self.path as NSString).appendingPathComponent(name)
    }

    /// `path` with a leading `~` or `~/` replaced by the user's home directory, made absolute.
    public static func expandingTilde(in path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return expanded }
        return (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(expanded)
    }
}
