// StorageTests: the node's SQLite database — durability setting, block commits, read-back, and bad files.

import DeAICore
import DeAITesting
import Foundation
import GRDB
import Ledger
import Storage
import Testing

/// A fresh directory under the system's temporary directory, removed at the end of `body`.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("deai-storage-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

struct NodeDatabaseTests {
    static func metadata(
        _ producer: TestBlockProducer,
        genesis: Genesis = ChainFixtures.genesis()
    ) -> NodeDatabase.ChainMetadata {
        NodeDatabase.ChainMetadata(chainID: genesis.chainID, genesisHash: producer.genesisHash, genesis: genesis)
    }

    static func committed(_ produced: TestBlockProducer.Produced) -> CommittedBlock {
        CommittedBlock(
            block: produced.block,
            encodedTransactions: produced.encodedTransactions,
            receipts: produced.receipts,
            changes: produced.changes,
            commit: produced.commit
        )
    }

    /// Three blocks: transfers from several senders, a delegation created and removed again (a deleted entry),
    /// a payload failure, and an empty block.
    static func blocks(_ producer: inout TestBlockProducer) throws -> [TestBlockProducer.Produced] {
        let validator = ChainFixtures.validatorAddress
        return [
            try producer.produce([
                ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 100, nonce: 0),
                ChainFixtures.transfer(from: 2, to: ChainFixtures.address(20), amount: 50, nonce: 0),
                ChainFixtures.signed(.delegate(validator: validator, amount: 500), from: 3, nonce: 0),
            ]),
            try producer.produce([
                ChainFixtures.signed(.undelegate(validator: validator, amount: 500), from: 3, nonce: 1),
                ChainFixtures.transfer(
                    from: 1,
                    to: ChainFixtures.address(2),
                    amount: ChainFixtures.balance * 2,
                    nonce: 1
                ),
            ]),
            try producer.produce([]),
        ]
    }

    @Test("a fresh database writes with synchronous = FULL and holds no chain")
    func fresh() async throws {
        try await withTemporaryDirectory { directory in
            let database = try NodeDatabase(path: "\(directory)/node.sqlite")
            #expect(try database.writerSynchronousSetting() == 2)
            #expect(try await database.metadata() == nil)
            #expect(try await database.latestHeight() == 0)
            #expect(try await database.block(at: 1) == nil)
            #expect(try await database.latestCommit() == nil)
            #expect(try await database.stateEntries().isEmpty)
        }
    }

    @Test("initialize, commit blocks, and read back blocks, headers, commits, transactions, receipts and state")
    func commitAndReadBack() async throws {
        try await withTemporaryDirectory { directory in
            let path = "\(directory)/node.sqlite"
            var producer = try TestBlockProducer(genesis: ChainFixtures.genesis())
            let database = try NodeDatabase(path: path)
            try await database.initialize(Self.metadata(producer), genesisState: producer.genesisEntries, validators: ValidatorSet(state: producer.state))
            #expect(try await database.metadata() == Self.metadata(producer))
            #expect(try await Self.entries(database) == producer.genesisEntries)

            let blocks = try Self.blocks(&producer)
            for produced in blocks { try await database.commitBlock(Self.committed(produced)) }

            #expect(try await database.latestHeight() == 3)
            let signers = try #require(try await database.validatorSet(at: 3))
            #expect(signers.since == 1 && signers.set == ValidatorSet(state: producer.state))
            #expect(try await database.validatorSetChanges(after: 0, limit: 10) == [1])
            #expect(try await database.validatorSet(at: 0) == nil)
            for (index, produced) in blocks.enumerated() {
                let height = Height(index + 1)
                #expect(try await database.block(at: height) == produced.block)
                #expect(try await database.header(at: height) == produced.block.header)
                #expect(try await database.commit(at: height) == produced.commit)
                for (transaction, receipt) in zip(produced.block.transactions, produced.receipts) {
                    let stored = try #require(try await database.transaction(transaction.hash))
                    #expect(stored.transaction == transaction)
                    #expect(stored.receipt == receipt)
                    #expect(try await database.receipt(transaction.hash) == receipt)
                }
            }
            #expect(try await database.latestCommit() == blocks.last?.commit)
            #expect(try await database.receipt(SHA256Digest(hashing: [0xDE, 0xAD])) == nil)
            #expect(try await database.block(at: 4) == nil)
            #expect(blocks[1].receipts.map(\.code) == [0, 201])

            // The stored state is the ledger's, entry for entry (the removed delegation is gone).
            #expect(try await Self.entries(database) == producer.state.allEntries)
            #expect(producer.state.delegations.isEmpty)
        }
    }

    static func entries(_ database: NodeDatabase) async throws -> [StateChange] {
        try await database.stateEntries().map { StateChange(key: $0.key, value: $0.value) }
    }

    @Test("what was committed is there after the database is closed and opened again")
    func reopen() async throws {
        try await withTemporaryDirectory { directory in
            let path = "\(directory)/node.sqlite"
            var producer = try TestBlockProducer(genesis: ChainFixtures.genesis())
            let blocks = try Self.blocks(&producer)
            do {
                let database = try NodeDatabase(path: path)
                try await database.initialize(Self.metadata(producer), genesisState: producer.genesisEntries, validators: ValidatorSet(state: producer.state))
                for produced in blocks { try await database.commitBlock(Self.committed(produced)) }
            }
            let database = try NodeDatabase(path: path)
            #expect(try database.writerSynchronousSetting() == 2)
            #expect(try await database.metadata() == Self.metadata(producer))
            #expect(try await database.latestHeight() == 3)
            #expect(try await database.block(at: 2) == blocks[1].block)
            #expect(try await Self.entries(database) == producer.state.allEntries)
        }
    }

    @Test("the files of a database still open, as a killed node leaves them, open at the last committed block")
    func crashCopy() async throws {
        try await withTemporaryDirectory { directory in
            let path = "\(directory)/node.sqlite"
            var producer = try TestBlockProducer(genesis: ChainFixtures.genesis())
            let blocks = try Self.blocks(&producer)
            let database = try NodeDatabase(path: path)
            try await database.initialize(Self.metadata(producer), genesisState: producer.genesisEntries, validators: ValidatorSet(state: producer.state))
            for produced in blocks { try await database.commitBlock(Self.committed(produced)) }
            // Copy the database, its write-ahead log and shared-memory index while the pool holds them open.
            let copy = "\(directory)/copy"
            try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
                try FileManager.default.copyItem(atPath: path + suffix, toPath: "\(copy)/node.sqlite\(suffix)")
            }
            #expect(FileManager.default.fileExists(atPath: path + "-wal"))
            let recovered = try NodeDatabase(path: "\(copy)/node.sqlite")
            #expect(try await recovered.latestHeight() == 3)
            #expect(try await recovered.block(at: 3) == blocks[2].block)
            #expect(try await Self.entries(recovered) == producer.state.allEntries)
        }
    }

    enum Misfit: String, Sendable, CaseIterable {
        case gap, repeated, earlier, wrongPreviousHash
    }

    @Test(
        "a block that does not follow the stored chain is refused and nothing of it is written",
        arguments: Misfit.allCases
    )
    func misfit(_ misfit: Misfit) async throws {
        try await withTemporaryDirectory { directory in
            var producer = try TestBlockProducer(genesis: ChainFixtures.genesis())
            let database = try NodeDatabase(path: "\(directory)/node.sqlite")
            try await database.initialize(Self.metadata(producer), genesisState: producer.genesisEntries, validators: ValidatorSet(state: producer.state))
            let blocks = try Self.blocks(&producer)
            try await database.commitBlock(Self.committed(blocks[0]))
            try await database.commitBlock(Self.committed(blocks[1]))
            let entries = try await Self.entries(database)

            var candidate = Self.committed(blocks[2])
            switch misfit {
            case .gap: candidate.block.header.height = 4
            case .repeated: candidate = Self.committed(blocks[1])
            case .earlier: candidate = Self.committed(blocks[0])
            case .wrongPreviousHash: candidate.block.header.previousBlockHash = blocks[0].block.hash
            }
            let error = await #expect(throws: StorageError.self) { try await database.commitBlock(candidate) }
            #expect(error?.code == .writeFailed)
            #expect(try await database.latestHeight() == 2)
            #expect(try await Self.entries(database) == entries)
            // The right block still commits.
            try await database.commitBlock(Self.committed(blocks[2]))
            #expect(try await database.latestHeight() == 3)
        }
    }

    @Test("a block committed to a database that holds no chain is refused")
    func notInitialized() async throws {
        try await withTemporaryDirectory { directory in
            var producer = try TestBlockProducer(genesis: ChainFixtures.genesis())
            let database = try NodeDatabase(path: "\(directory)/node.sqlite")
            let produced = try producer.produce([])
            let error = await #expect(throws: StorageError.self) {
                try await database.commitBlock(Self.committed(produced))
            }
            #expect(error?.code == .notInitialized)
            #expect(try await database.latestHeight() == 0)
        }
    }

    @Test("initializing twice is refused with alreadyInitialized, and changes nothing")
    func initializeTwice() async throws {
        try await withTemporaryDirectory { directory in
            let producer = try TestBlockProducer(genesis: ChainFixtures.genesis())
            let database = try NodeDatabase(path: "\(directory)/node.sqlite")
            try await database.initialize(Self.metadata(producer), genesisState: producer.genesisEntries, validators: ValidatorSet(state: producer.state))
            let other = ChainFixtures.genesis(chainID: "deai-other")
            let otherProducer = try TestBlockProducer(genesis: other)
            let error = await #expect(throws: StorageError.self) {
                try await database.initialize(
                    Self.metadata(otherProducer, genesis: other),
                    genesisState: otherProducer.genesisEntries, validators: ValidatorSet(state: otherProducer.state)
                )
            }
            #expect(error?.code == .alreadyInitialized)
            #expect(try await database.metadata()?.chainID == ChainFixtures.chainID)
            #expect(try await Self.entries(database) == producer.genesisEntries)
        }
    }

    @Test("a file of random bytes is refused as corrupt")
    func randomBytes() async throws {
        try await withTemporaryDirectory { directory in
            let path = "\(directory)/node.sqlite"
            var rng = SeededGenerator(seed: 7)
            let bytes = (0..<16_384).map { _ in UInt8.random(in: 0...255, using: &rng) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: StorageError.self) { try NodeDatabase(path: path) }
            #expect(error?.code == .corrupt)
            // The file is left as it was.
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(bytes))
        }
    }

    @Test("a SQLite database of another program is refused as foreign, and left as it was")
    func foreign() async throws {
        try await withTemporaryDirectory { directory in
            let path = "\(directory)/other.sqlite"
            do {
                let queue = try DatabaseQueue(path: path)
                try await queue.write { db in
                    try db.execute(sql: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
                    try db.execute(sql: "INSERT INTO users (name) VALUES ('ada')")
                }
            }
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            let error = #expect(throws: StorageError.self) { try NodeDatabase(path: path) }
            #expect(error?.code == .foreignDatabase)
            let queue = try DatabaseQueue(path: path)
            let tables = try await queue.read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            }
            #expect(tables == ["users"])
            #expect(try await queue.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "delete")
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        }
    }

    @Test("a path that cannot be created fails to open")
    func openFailed() async throws {
        try await withTemporaryDirectory { directory in
            let error = #expect(throws: StorageError.self) {
                try NodeDatabase(path: "\(directory)/missing/dir/node.sqlite")
            }
            #expect(error?.code == .openFailed)
        }
    }
}
