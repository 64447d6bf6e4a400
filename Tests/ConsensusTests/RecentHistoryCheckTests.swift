// ConsensusTests: a node refuses to start on a stored chain whose recent blocks were damaged.

import Consensus
import DeAICore
import DeAITesting
import Foundation
import GRDB
import Ledger
import Storage
import Testing

struct RecentHistoryCheckTests {
    enum Damage: String, CaseIterable, Sendable {
        case transactionByte, headerField, missingCommit
    }

    /// A chain of three blocks of one transfer each in `directory`, closed again.
    static func storeThreeBlocks(in directory: String) async throws {
        let chain = try await openChain(in: directory)
        for nonce: UInt64 in 0..<3 {
            _ = try await chain.submit(
                encoding: ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 5, nonce: nonce).canonicalEncoding)
            _ = try await chain.produceBlock(time: ChainFixtures.genesisTime + (nonce + 1) * 1_000)
        }
    }

    @Test("a stored block edited or damaged is refused at start, naming the block", arguments: Damage.allCases)
    func damagedHistory(_ damage: Damage) async throws {
        try await withTemporaryDirectory { directory in
            try await Self.storeThreeBlocks(in: directory)
            let database = try DatabaseQueue(path: "\(directory)/node.sqlite")
            try await database.write { db in
                switch damage {
                case .transactionByte:
                    // The last byte of a transaction is its signature's: the row still decodes.
                    var body = try Data.fetchOne(db, sql: "SELECT body FROM transactions WHERE height = 2")!
                    body[body.count - 1] ^= 0x01
                    try db.execute(sql: "UPDATE transactions SET body = ? WHERE height = 2", arguments: [body])
                case .headerField:
                    let data = try Data.fetchOne(db, sql: "SELECT header FROM blocks WHERE height = 2")!
                    var header = try BlockHeader(canonicalEncoding: Array(data))
                    header.time += 1
                    try db.execute(sql: "UPDATE blocks SET header = ? WHERE height = 2", arguments: [Data(header.canonicalEncoding)])
                case .missingCommit:
                    let data = try Data.fetchOne(db, sql: "SELECT header FROM blocks WHERE height = 3")!
                    var header = try BlockHeader(canonicalEncoding: Array(data))
                    header.lastCommit = nil
                    try db.execute(sql: "UPDATE blocks SET header = ? WHERE height = 3", arguments: [Data(header.canonicalEncoding)])
                }
            }
            try database.close()
            do {
                _ = try await openChain(in: directory)
                Issue.record("a chain with a damaged block (\(damage)) opened")
            } catch let error as ConsensusError {
                guard case .corruptHistory(let height, _) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(height == (damage == .transactionByte ? 2 : 3))
                #expect(error.description.contains("deai replay"))
            }
        }
    }

    @Test("an undamaged chain opens, and its last commit is checked")
    func intactHistory() async throws {
        try await withTemporaryDirectory { directory in
            try await Self.storeThreeBlocks(in: directory)
            #expect(await (try openChain(in: directory)).status.height == 3)
        }
    }
}

struct ChainFormatTests {
    @Test("a database written in an older chain format is refused with what to do, by start and by replay")
    func olderFormat() async throws {
        try await withTemporaryDirectory { directory in
            let genesis = ChainFixtures.genesis()
            var state = try genesis.makeState()
            let root = StateCommitment(state: state).root
            let database = try NodeDatabase(path: "\(directory)/node.sqlite")
            try await database.initialize(
                NodeDatabase.ChainMetadata(
                    chainID: genesis.chainID, genesisHash: Genesis.hash(chainID: genesis.chainID, genesisTime: genesis.genesisTime, stateRoot: root),
                    genesis: genesis, format: 1),
                genesisState: state.takeChanges(), validators: ValidatorSet(state: state))
            let current = NodeDatabase.ChainMetadata.currentFormat
            await #expect(throws: ConsensusError.olderChainFormat(found: 1, expected: current)) {
                _ = try await openChain(in: directory)
            }
            await #expect(throws: ConsensusError.olderChainFormat(found: 1, expected: current)) {
                _ = try await ChainReplay.replay(database: database, genesis: genesis)
            }
            #expect(ConsensusError.olderChainFormat(found: 1, expected: 2).description.contains("deai init --force"))
        }
    }
}
