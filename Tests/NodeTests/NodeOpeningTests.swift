// Opening a node: its own database works, a foreign or corrupt one is a clear error naming the file.

import Consensus
import DeAICore
import Foundation
import Logging
import Node
import Testing

@Suite("Node opening")
struct NodeOpeningTests {
    private static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    private static func initializedHome(_ path: String, chainID: String) throws -> NodeHome {
        let home = NodeHome(path: path)
        _ = try NodeInitializer(options: .init(chainID: chainID)).initialize(home, now: 1_700_000_000_000)
        return home
    }

    @Test("a node opens its own database again at the same height")
    func reopen() async throws {
        try await withTemporaryDirectory { directory in
            let home = try Self.initializedHome(directory + "/a", chainID: "chain-a")
            let root: SHA256Digest
            do {
                let node = try await Node.open(home: home, configuration: NodeConfiguration(), logger: Self.logger)
                _ = try await node.chain.produceBlock(time: 1_700_000_001_000)
                root = await node.chain.status.stateRoot
            }
            let reopened = try await Node.open(home: home, configuration: NodeConfiguration(), logger: Self.logger)
            let status = await reopened.chain.status
            #expect(status.height == 1)
            #expect(status.stateRoot == root)
            #expect(try permissions(of: home.dataDirectory) == 0o700)
        }
    }

    @Test("a home whose validator key file was replaced with another key refuses to start, naming both keys")
    func validatorKeyReplaced() async throws {
        try await withTemporaryDirectory { directory in
            let home = try Self.initializedHome(directory + "/a", chainID: "chain-a")
            let signer: VerifyingKey
            do {
                let node = try await Node.open(home: home, configuration: NodeConfiguration(), logger: Self.logger)
                _ = try await node.chain.produceBlock(time: 1_700_000_001_000)
                signer = try KeyFile.read(from: home.validatorKeyFile).publicKey
            }
            let other = SigningKey()
            try FileManager.default.removeItem(atPath: home.validatorKeyFile)
            try KeyFile(key: other, passphrase: nil).write(to: home.validatorKeyFile)
            do {
                _ = try await Node.open(home: home, configuration: NodeConfiguration(), logger: Self.logger)
                Issue.record("a node started with another validator's key")
            } catch let error as NodeError {
                #expect(error.code == .validatorKeyChanged)
                #expect(error.message.contains("\(other.verifyingKey)") && error.message.contains("\(signer)"))
            }
        }
    }

    @Test("a database deleted or truncated behind the validator's signatures is refused, never restarted from genesis",
          arguments: ["deleted", "truncated"])
    func databaseLost(_ how: String) async throws {
        try await withTemporaryDirectory { directory in
            let home = try Self.initializedHome(directory + "/a", chainID: "chain-a")
            do {
                let node = try await Node.open(home: home, configuration: NodeConfiguration(), logger: Self.logger)
                for height: UInt64 in 1...3 { _ = try await node.chain.produceBlock(time: 1_700_000_000_000 + height * 1_000) }
            }
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: home.databaseFile + suffix) }
            if how == "deleted" {
                try FileManager.default.removeItem(atPath: home.databaseFile)
            } else {
                try FileHandle(forWritingTo: URL(fileURLWithPath: home.databaseFile)).truncate(atOffset: 0)
            }
            do {
                _ = try await Node.open(home: home, configuration: NodeConfiguration(), logger: Self.logger)
                Issue.record("a node whose database was \(how) started")
            } catch let error as NodeError {
                #expect(error.code == .databaseBehind)
                #expect(error.message.contains(home.databaseFile))
                #expect(error.message.contains("at height 0, but this validator already signed height 3"))
            }
        }
    }

    @Test("another chain's database is refused with an error naming the file")
    func foreignDatabase() async throws {
        try await withTemporaryDirectory { directory in
            let a = try Self.initializedHome(directory + "/a", chainID: "chain-a")
            let b = try Self.initializedHome(directory + "/b", chainID: "chain-b")
            do {
                let node = try await Node.open(home: a, configuration: NodeConfiguration(), logger: Self.logger)
                _ = try await node.chain.produceBlock(time: 1_700_000_001_000)
            }
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: a.databaseFile + suffix) {
                try FileManager.default.copyItem(atPath: a.databaseFile + suffix, toPath: b.databaseFile + suffix)
            }
            await #expect(throws: NodeError(.databaseMismatch, "")) {
                _ = try await Node.open(home: b, configuration: NodeConfiguration(), logger: Self.logger)
            }
            do {
                _ = try await Node.open(home: b, configuration: NodeConfiguration(), logger: Self.logger)
            } catch let error as NodeError {
                #expect(error.message.contains(b.databaseFile))
                #expect(error.description.contains("chain-a"))
            }
        }
    }

    @Test("a corrupt database file is refused with an error naming the file")
    func corruptDatabase() async throws {
        try await withTemporaryDirectory { directory in
            let home = try Self.initializedHome(directory, chainID: "chain-c")
            let garbage = Data((0..<8_192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            #expect(FileManager.default.createFile(atPath: home.databaseFile, contents: garbage))
            do {
                _ = try await Node.open(home: home, configuration: NodeConfiguration(), logger: Self.logger)
                Issue.record("a corrupt database opened")
            } catch let error as NodeError {
                #expect(error.code == .databaseMismatch)
                #expect(error.message.contains(home.databaseFile))
            }
        }
    }

    @Test("a home without genesis says to run deai init")
    func notInitialized() async throws {
        try await withTemporaryDirectory { directory in
            await #expect(throws: NodeError(.homeNotInitialized, "")) {
                _ = try await Node.open(
                    home: NodeHome(path: directory),
                    configuration: NodeConfiguration(),
                    logger: Self.logger
                )
            }
        }
    }
}
