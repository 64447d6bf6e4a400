// The database schema, as migrations. A shipped migration is never edited; new ones are appended.

internal import GRDB

enum Migrations {
    /// Every table the node uses.
    static let tables: Set<String> = ["meta", "blocks", "transactions", "state", "validator_sets"]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL) WITHOUT ROWID;
                    CREATE TABLE blocks (
                        height INTEGER PRIMARY KEY NOT NULL,
                        hash BLOB NOT NULL UNIQUE,
                        time INTEGER NOT NULL,
                        tx_count INTEGER NOT NULL,
                        header BLOB NOT NULL,
                        commit_data BLOB NOT NULL
                    );
                    CREATE TABLE transactions (
                        hash BLOB PRIMARY KEY NOT NULL,
                        height INTEGER NOT NULL REFERENCES blocks(height),
                        position INTEGER NOT NULL,
                        body BLOB NOT NULL,
                        code INTEGER NOT NULL,
                        receipt BLOB NOT NULL
                    ) WITHOUT ROWID;
                    CREATE INDEX transactions_by_block ON transactions(height, position);
                    CREATE TABLE state (key BLOB PRIMARY KEY NOT NULL, value BLOB NOT NULL) WITHOUT ROWID;
                    """
            )
        }
        // The validator set that signs each block from `height` on, until the next row: a light client follows the
        // chain's set changes with them.
        migrator.registerMigration("v2") { db in
            try db.execute(
                sql: "CREATE TABLE validator_sets (height INTEGER PRIMARY KEY NOT NULL, members BLOB NOT NULL)")
        }
        return migrator
    }
}
