// The node's SQLite database: blocks, transactions with receipts, and the state.

public import DeAICore
internal import Foundation
internal import GRDB
public import Ledger

/// The node's database: one SQLite file in WAL mode, opened once per process (the only `DatabasePool`).
///
/// Rules:
/// 1. **A block is one write transaction** — block, transactions, receipts and state changes commit together or
///    not at all, so a node killed at any instant restarts at its last committed block.
/// 2. **`synchronous = FULL` on the writer**, set after opening: GRDB's WAL set-up leaves it at NORMAL, and then
///    a commit can return before it is on disk — a block reported committed could be lost in a power cut.
/// 3. **The database knows its chain** — the chain ID and genesis hash are stored at initialization and checked
///    at every start, so a node never runs on another chain's data.
public final class NodeDatabase: Sendable {
    private let pool: DatabasePool
    /// The database file's path.
    public let path: String

    /// Opens (or creates) the database at `path` and brings its schema up to date.
    /// - Throws: ``StorageError`` `.openFailed`, `.corrupt` (not a SQLite file), or `.foreignDatabase` (a SQLite
    ///   file of something else).
    public init(path: String) throws(StorageError) {
        self.path = path
        var configuration = Configuration()
        configuration.label = "deai"
        // Check an existing file read-only first: opening a pool switches the file to WAL mode, which would
        // change another program's database before we refuse it.
        if FileManager.default.fileExists(atPath: path) {
            do {
                var readOnly = configuration
                readOnly.readonly = true
                try DatabaseQueue(path: path, configuration: readOnly).read { db in
                    try Self.checkNotForeign(db, path: path)
                }
            } catch let error as StorageError {
                throw error
            } catch {
                throw Self.openError(error, path: path)
            }
        }
        do {
            self.pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw Self.openError(error, path: path)
        }
        do {
            try self.pool.read { db in try Self.checkNotForeign(db, path: path) }
            try Migrations.migrator.migrate(self.pool)
            try self.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        } catch let error as StorageError {
            throw error
        } catch {
            throw Self.openError(error, path: path)
        }
    }

    private static func openError(_ error: any Error, path: String) -> StorageError {
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            return StorageError(.corrupt, "\(path) is not a DeAI database or is corrupt", cause: error)
        }
        return StorageError(.openFailed, "cannot open the database \(path)", cause: error)
    }

    /// Refuses a SQLite file that has tables but none of ours.
    private static func checkNotForeign(_ db: Database, path: String) throws {
        let tables = try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        guard !tables.isEmpty else { return }
        let ours = Migrations.tables.union(["grdb_migrations"])
        guard tables.isSubset(of: ours), tables.contains("grdb_migrations") else {
            throw StorageError(.foreignDatabase, "\(path) is a SQLite database of another program (tables: \(tables.sorted().joined(separator: ", ")))")
        }
    }

    /// The `synchronous` setting of the writer connection (2 = FULL).
    public func writerSynchronousSetting() throws -> Int {
        try self.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    // MARK: - Chain identity

    /// What the database knows of its chain.
    public struct ChainMetadata: Sendable, Codable, Hashable {
        /// The chain's identifier.
        public var chainID: String
        /// The hash block 1 names as its previous block.
        public var genesisHash: SHA256Digest
        /// The genesis the chain started from.
        public var genesis: Genesis
        /// The version of the chain's signed formats the database was written with (1 when absent: written before
        /// versions were recorded).
        public var format: UInt32

        /// The format this version writes. 2: votes may be for no block and are signed under `DEAI/VOTE/V2`, and
        /// receipts roots commit to codes, not messages. 3: headers carry the next validator set's hash, and the
        /// database keeps every validator set that signed blocks.
        public static let currentFormat: UInt32 = 3

        /// Metadata with every field given.
        public init(chainID: String, genesisHash: SHA256Digest, genesis: Genesis, format: UInt32 = ChainMetadata.currentFormat) {
            self.chainID = chainID
            self.genesisHash = genesisHash
            self.genesis = genesis
            self.format = format
        }

        private enum CodingKeys: String, CodingKey {
            case chainID, genesisHash, genesis, format
        }

        /// Decodes metadata; a database written before formats were recorded is format 1.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.chainID = try container.decode(String.self, forKey: .chainID)
            self.genesisHash = try container.decode(SHA256Digest.self, forKey: .genesisHash)
            self.genesis = try container.decode(Genesis.self, forKey: .genesis)
            self.format = try container.decodeIfPresent(UInt32.self, forKey: .format) ?? 1
        }
    }

    /// The chain the database holds, or `nil` for a fresh database.
    public func metadata() async throws(StorageError) -> ChainMetadata? {
        try await self.read("read the chain metadata") { db in
            guard let data = try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'chain'") else { return nil }
            do {
                return try JSONDecoder().decode(ChainMetadata.self, from: data)
            } catch {
                throw StorageError(.corrupt, "the chain metadata in the database does not decode", cause: error)
            }
        }
    }

    /// Records the chain, its genesis state and the validator set that signs block 1. Fails if the database
    /// already holds a chain.
    public func initialize(
        _ metadata: ChainMetadata, genesisState: [StateChange], validators: ValidatorSet
    ) async throws(StorageError) {
        try await self.write("initialize the chain") { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM meta") == 0 else {
                throw StorageError(.alreadyInitialized, "the database already holds a chain")
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('chain', ?)", arguments: [try encoder.encode(metadata)])
            try Self.write(genesisState, db)
            try Self.record(validators, from: 1, db)
        }
    }

    // MARK: - Blocks

    /// Commits a block with its transactions, receipts and state changes in one transaction, durable on return.
    public func commitBlock(_ committed: CommittedBlock) async throws(StorageError) {
        try await self.write("commit block \(committed.block.header.height)") { db in
            let header = committed.block.header
            guard let chain = try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'chain'") else {
                throw StorageError(
                    .notInitialized, "the database holds no chain: initialize it before committing blocks"
                )
            }
            let expected = (try Int64.fetchOne(db, sql: "SELECT MAX(height) FROM blocks") ?? 0) + 1
            guard Int64(header.height) == expected else {
                throw StorageError(.writeFailed, "block \(header.height) does not follow the stored chain (next is \(expected))")
            }
            let previousHash: Data
            if expected == 1 {
                do {
                    previousHash = Data(try JSONDecoder().decode(ChainMetadata.self, from: chain).genesisHash.bytes)
                } catch {
                    throw StorageError(.corrupt, "the chain metadata in the database does not decode", cause: error)
                }
            } else {
                previousHash =
                    try Data.fetchOne(db, sql: "SELECT hash FROM blocks WHERE height = ?", arguments: [expected - 1])
                    ?? Data()
            }
            guard Data(header.previousBlockHash.bytes) == previousHash else {
                throw StorageError(
                    .writeFailed, "block \(header.height) names another previous block than the stored chain's last"
                )
            }
            try db.execute(
                sql: "INSERT INTO blocks (height, hash, time, tx_count, header, commit_data) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    Int64(header.height), Data(header.hash.bytes), Int64(clamping: header.time),
                    committed.block.transactions.count, Data(header.canonicalEncoding), Data(committed.commit.canonicalEncoding),
                ]
            )
            let insert = try db.cachedStatement(
                sql: "INSERT INTO transactions (hash, height, position, body, code, receipt) VALUES (?, ?, ?, ?, ?, ?)"
            )
            for (receipt, encoding) in zip(committed.receipts, committed.encodedTransactions) {
                try insert.execute(arguments: [
                    Data(receipt.transactionHash.bytes), Int64(header.height), Int64(receipt.index), Data(encoding),
                    Int64(receipt.code), Data(receipt.canonicalEncoding),
                ])
            }
            try Self.write(committed.changes, db)
            if let next = committed.nextValidatorSet {
                guard next.hash == header.nextValidatorSetHash else {
                    throw StorageError(.writeFailed, "block \(header.height) names another next validator set than the one given")
                }
                try Self.record(next, from: header.height + 1, db)
            }
        }
    }

    private static func record(_ validators: ValidatorSet, from height: Height, _ db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO validator_sets (height, members) VALUES (?, ?)",
            arguments: [Int64(clamping: height), Data(validators.canonicalEncoding)])
    }

    /// The validator set that signs the block at `height` (the one recorded last at or below it), with the
    /// height it has signed from; `nil` at height 0 or when none is recorded.
    public func validatorSet(at height: Height) async throws(StorageError) -> (since: Height, set: ValidatorSet)? {
        try await self.read("read the validator set of block \(height)") { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT height, members FROM validator_sets WHERE height <= ? ORDER BY height DESC LIMIT 1",
                arguments: [Int64(clamping: height)])
            else { return nil }
            let since = Height(row["height"] as Int64)
            return (since, try Self.decode(ValidatorSet.self, row["members"], what: "validator set of block \(since)"))
        }
    }

    /// The heights from which a new validator set signs, above `height` and up to `limit` of them, in order.
    public func validatorSetChanges(after height: Height, limit: Int) async throws(StorageError) -> [Height] {
        try await self.read("read the validator set changes after \(height)") { db in
            try Int64.fetchAll(
                db, sql: "SELECT height FROM validator_sets WHERE height > ? ORDER BY height LIMIT ?",
                arguments: [Int64(clamping: height), limit]
            ).map { Height($0) }
        }
    }

    private static func write(_ changes: [StateChange], _ db: Database) throws {
        let upsert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)")
        let delete = try db.cachedStatement(sql: "DELETE FROM state WHERE key = ?")
        for change in changes {
            if let value = change.value {
                try upsert.execute(arguments: [Data(change.key), Data(value)])
            } else {
                try delete.execute(arguments: [Data(change.key)])
            }
        }
    }

    /// The height of the latest committed block (0 before the first).
    public func latestHeight() async throws(StorageError) -> Height {
        try await self.read("read the latest height") { db in
            Height(try Int64.fetchOne(db, sql: "SELECT MAX(height) FROM blocks") ?? 0)
        }
    }

    /// The header of the block at `height`.
    public func header(at height: Height) async throws(StorageError) -> BlockHeader? {
        try await self.read("read header \(height)") { db in
            guard let data = try Data.fetchOne(db, sql: "SELECT header FROM blocks WHERE height = ?", arguments: [Int64(clamping: height)]) else {
                return nil
            }
            return try Self.decode(BlockHeader.self, data, what: "header of block \(height)")
        }
    }

    /// The commit (precommit signatures) that finalized the block at `height`.
    public func commit(at height: Height) async throws(StorageError) -> Commit? {
        try await self.read("read commit \(height)") { db in
            guard let data = try Data.fetchOne(db, sql: "SELECT commit_data FROM blocks WHERE height = ?", arguments: [Int64(clamping: height)]) else {
                return nil
            }
            return try Self.decode(Commit.self, data, what: "commit of block \(height)")
        }
    }

    /// The commit of the latest block.
    public func latestCommit() async throws(StorageError) -> Commit? {
        try await self.commit(at: try await self.latestHeight())
    }

    /// The block at `height`, with its transactions in order.
    public func block(at height: Height) async throws(StorageError) -> Block? {
        try await self.read("read block \(height)") { db in
            let key = Int64(clamping: height)
            guard let headerData = try Data.fetchOne(db, sql: "SELECT header FROM blocks WHERE height = ?", arguments: [key]) else {
                return nil
            }
            let header = try Self.decode(BlockHeader.self, headerData, what: "header of block \(height)")
            let bodies = try Data.fetchAll(db, sql: "SELECT body FROM transactions WHERE height = ? ORDER BY position", arguments: [key])
            let transactions = try bodies.map { try Self.decode(Transaction.self, $0, what: "a transaction of block \(height)") }
            return Block(header: header, transactions: transactions)
        }
    }

    /// A stored transaction with its receipt, by hash.
    public func transaction(_ hash: SHA256Digest) async throws(StorageError) -> StoredTransaction? {
        try await self.read("read transaction \(hash)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT body, receipt FROM transactions WHERE hash = ?", arguments: [Data(hash.bytes)]) else {
                return nil
            }
            let body: Data = row["body"]
            let receipt: Data = row["receipt"]
            return StoredTransaction(
                transaction: try Self.decode(Transaction.self, body, what: "transaction \(hash)"),
                receipt: try Self.decode(TransactionReceipt.self, receipt, what: "receipt of \(hash)")
            )
        }
    }

    /// The receipt of a transaction, by hash.
    public func receipt(_ hash: SHA256Digest) async throws(StorageError) -> TransactionReceipt? {
        try await self.transaction(hash)?.receipt
    }

    /// Every stored state entry, sorted by key.
    public func stateEntries() async throws(StorageError) -> [(key: [UInt8], value: [UInt8])] {
        try await self.read("read the state") { db in
            try Row.fetchAll(db, sql: "SELECT key, value FROM state ORDER BY key").map { row in
                let key: Data = row["key"]
                let value: Data = row["value"]
                return (key: [UInt8](key), value: [UInt8](value))
            }
        }
    }

    // MARK: - Access

    private static func decode<T: CanonicalDecodable>(_ type: T.Type, _ data: Data, what: String) throws -> T {
        do {
            return try T(canonicalEncoding: [UInt8](data))
        } catch {
            throw StorageError(.corrupt, "the stored \(what) does not decode", cause: error)
        }
    }

    private func read<T: Sendable>(_ action: String, _ body: @Sendable @escaping (Database) throws -> T) async throws(StorageError) -> T {
        do {
            return try await self.pool.read(body)
        } catch let error as StorageError {
            throw error
        } catch {
            throw Self.accessError(.readFailed, action, error)
        }
    }

    private func write(_ action: String, _ body: @Sendable @escaping (Database) throws -> Void) async throws(StorageError) {
        do {
            try await self.pool.write(body)
        } catch let error as StorageError {
            throw error
        } catch {
            throw Self.accessError(.writeFailed, action, error)
        }
    }

    private static func accessError(_ code: StorageError.Code, _ action: String, _ error: any Error) -> StorageError {
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            return StorageError(.corrupt, "cannot \(action): the database is corrupt", cause: error)
        }
        return StorageError(code, "cannot \(action)", cause: error)
    }
}
