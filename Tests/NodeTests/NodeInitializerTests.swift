// `deai init`: the home's layout, its genesis, and refusing to overwrite.

import DeAICore
import Foundation
import Ledger
import Node
import Testing

@Suite("NodeInitializer")
struct NodeInitializerTests {
    @Test("init writes config, genesis, keys and data with owner-only permissions")
    func layout() async throws {
        try await withTemporaryDirectory { directory in
            let home = NodeHome(path: directory + "/home")
            let result = try NodeInitializer(options: .init(chainID: "test-chain", votingPeriod: 3))
                .initialize(home, now: 1_700_000_000_000)

            for file in [home.configurationFile, home.genesisFile, home.nodeKeyFile, home.validatorKeyFile] {
                #expect(FileManager.default.fileExists(atPath: file), "\(file)")
            }
            #expect(try permissions(of: home.nodeKeyFile) == 0o600)
            #expect(try permissions(of: home.validatorKeyFile) == 0o600)
            #expect(try permissions(of: home.keystore.path(of: "default")) == 0o600)
            #expect(try permissions(of: home.path) == 0o700)
            #expect(FileManager.default.fileExists(atPath: home.dataDirectory))
            #expect(home.isInitialized)

            let genesis = try home.loadGenesis()
            #expect(genesis == result.genesis)
            #expect(genesis.chainID == "test-chain")
            #expect(genesis.parameters.votingPeriod == 3)
            #expect(genesis.treasury > 0)
            let defaultKey = try home.keystore.info("default")
            #expect(genesis.accounts.map(\.address) == [defaultKey.address])
            #expect(genesis.accounts[0].balance > 0)
            #expect(genesis.validators.count == 1)
            #expect(genesis.validators[0].operatorAddress == defaultKey.address)
            #expect(genesis.validators[0].consensusKey == (try KeyFile.read(from: home.validatorKeyFile).publicKey))
            #expect(genesis.validators[0].stake > 0)
            _ = try genesis.makeState()
        }
    }

    @Test("init refuses an initialized home unless forced, and --force starts a new chain")
    func refusesToOverwrite() async throws {
        try await withTemporaryDirectory { directory in
            let home = NodeHome(path: directory)
            let first = try NodeInitializer(options: .init()).initialize(home, now: 1)
            try home.keystore.create("alice", passphrase: nil)
            #expect(FileManager.default.createFile(atPath: home.databaseFile, contents: Data([1, 2, 3])))

            #expect(throws: NodeError(.homeAlreadyInitialized, "")) {
                try NodeInitializer(options: .init()).initialize(home, now: 2)
            }
            #expect(try home.loadGenesis() == first.genesis)

            let second = try NodeInitializer(options: .init(force: true)).initialize(home, now: 2)
            #expect(second.defaultKey.address != first.defaultKey.address)
            #expect(try home.loadGenesis() == second.genesis)
            #expect(!FileManager.default.fileExists(atPath: home.databaseFile))
            #expect(try home.keystore.info("alice").name == "alice")
        }
    }

    @Test("a default key made before init is kept and becomes the funded validator operator")
    func keepsExistingDefaultKey() async throws {
        try await withTemporaryDirectory { directory in
            let home = NodeHome(path: directory)
            let existing = try home.keystore.create("default", passphrase: nil)
            let result = try NodeInitializer(options: .init()).initialize(home, now: 1)
            #expect(result.defaultKey == existing)
            #expect(result.genesis.accounts.map(\.address) == [existing.address])
            #expect(result.genesis.validators.map(\.operatorAddress) == [existing.address])
        }
    }

    @Test("an invalid voting period is refused before anything is written")
    func invalidVotingPeriod() async throws {
        try await withTemporaryDirectory { directory in
            let home = NodeHome(path: directory + "/home")
            #expect(throws: NodeError(.invalidConfiguration, "")) {
                try NodeInitializer(options: .init(votingPeriod: 0)).initialize(home, now: 1)
            }
            #expect(!home.isInitialized)
        }
    }

    @Test("~ in a home path is expanded")
    func tildeExpansion() {
        let home = NodeHome(path: "~/.deai")
        #expect(home.path == NSHomeDirectory() + "/.deai")
        #expect(home.databaseFile == NSHomeDirectory() + "/.deai/data/chain.sqlite")
    }
}
