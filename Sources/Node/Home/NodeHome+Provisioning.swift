// Node: a home made for a genesis and keys decided elsewhere — a devnet's validator, a benchmark's node.

public import DeAICore
public import Ledger

extension NodeHome {
    /// Makes this directory the home of a node of `genesis` that signs with `validatorKey`: the directories,
    /// `genesis.json`, `validator_key.json`, a new `node_key.json` and `configuration` as `config.json`. Any chain
    /// data already there is deleted: it belonged to another genesis. This is `deai init` for a chain whose genesis
    /// is already decided, as every validator but the first joins one.
    ///
    /// ```swift
    /// let home = NodeHome(path: directory)
    /// try home.provision(genesis: genesis, validatorKey: key, configuration: configuration)
    /// let node = try await Node.open(home: home, configuration: configuration, logger: logger)
    /// ```
    /// - Throws: ``NodeError``: `invalidConfiguration` when the genesis does not make a valid state; `fileSystem`.
    public func provision(genesis: Genesis, validatorKey: SigningKey, configuration: NodeConfiguration) throws {
        do {
            _ = try genesis.makeState()
        } catch {
            throw NodeError(.invalidConfiguration, "the genesis would be invalid: \(error)")
        }
        try NodeInitializer.removeChainData(of: self)
        try self.createDirectories()
        try KeyFile(key: SigningKey(), passphrase: nil).write(to: self.nodeKeyFile)
        try KeyFile(key: validatorKey, passphrase: nil).write(to: self.validatorKeyFile)
        try SecureFile.write(try NodeInitializer.encode(genesis), to: self.genesisFile)
        try SecureFile.write(configuration.jsonBytes, to: self.configurationFile)
    }
}
