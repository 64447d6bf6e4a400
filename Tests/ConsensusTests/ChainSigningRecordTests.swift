// ConsensusTests: the validator saves what it signs before it signs, and never signs a conflicting precommit.

import Consensus
import DeAICore
import DeAITesting
import Ledger
import Synchronization
import Testing

/// A signing record kept in memory, that can be told to fail.
final class MemorySigningRecords: SigningRecordStore {
    private let state: Mutex<(record: SigningRecord, saves: [SigningRecord], failing: Bool)>

    init(_ record: SigningRecord = SigningRecord(), failing: Bool = false) {
        self.state = Mutex((record, [], failing))
    }

    var saves: [SigningRecord] { self.state.withLock { $0.saves } }

    func load() throws -> SigningRecord { self.state.withLock { $0.record } }

    func save(_ record: SigningRecord) throws {
        try self.state.withLock { state in
            if state.failing { throw DiskFull() }
            state.record = record
            state.saves.append(record)
        }
    }

    struct DiskFull: Error {}
}

struct ChainSigningRecordTests {
    static func record(signedPrecommitAt height: Height, round: UInt32 = 0) -> SigningRecord {
        var record = SigningRecord()
        record.record(Vote(
            kind: .precommit, chainID: ChainFixtures.chainID, height: height, round: round,
            blockHash: SHA256Digest(hashing: Array("a block never written".utf8)), validator: ChainFixtures.validatorAddress))
        return record
    }

    @Test("every block's precommit is saved in the signing record before it is signed")
    func savesEachPrecommit() async throws {
        try await withTemporaryDirectory { directory in
            let records = MemorySigningRecords()
            let chain = try await openChain(in: directory, signingRecord: records)
            for height: Height in 1...3 {
                _ = try await chain.produceBlock(time: ChainFixtures.genesisTime + height * 1_000)
            }
            #expect(records.saves.map(\.height) == [1, 2, 3])
            #expect(records.saves.allSatisfy { $0.step == .precommit && $0.round == 0 })
        }
    }

    @Test("after a crash between signing a block and writing it, the next block is signed in a new round")
    func newRoundAfterCrash() async throws {
        try await withTemporaryDirectory { directory in
            let records = MemorySigningRecords(Self.record(signedPrecommitAt: 1))
            let chain = try await openChain(in: directory, signingRecord: records)
            let block = try #require(try await chain.produceBlock(time: ChainFixtures.genesisTime + 1_000))
            #expect(block.header.height == 1)
            #expect(records.saves.last?.round == 1)
            let next = try #require(try await chain.produceBlock(time: ChainFixtures.genesisTime + 2_000))
            #expect(next.header.lastCommit?.round == 1)
        }
    }

    @Test("a database behind what the validator signed is refused, naming both heights")
    func databaseBehind() async throws {
        try await withTemporaryDirectory { directory in
            let records = MemorySigningRecords(Self.record(signedPrecommitAt: 291))
            await #expect(throws: ConsensusError.databaseBehindSignatures(databaseHeight: 0, signedHeight: 291)) {
                _ = try await openChain(in: directory, signingRecord: records)
            }
            #expect(ConsensusError.databaseBehindSignatures(databaseHeight: 5, signedHeight: 291).description
                .contains("lost, truncated or rolled back"))
        }
    }

    @Test("a signing record that cannot be saved halts the chain before anything is signed")
    func unsavableRecordHalts() async throws {
        try await withTemporaryDirectory { directory in
            let chain = try await openChain(in: directory, signingRecord: MemorySigningRecords(failing: true))
            await #expect(throws: MemorySigningRecords.DiskFull.self) {
                _ = try await chain.produceBlock(time: ChainFixtures.genesisTime + 1_000)
            }
            #expect(await chain.status.height == 0)
            await #expect(throws: ConsensusError.self) {
                _ = try await chain.submit(encoding: ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 1, nonce: 0).canonicalEncoding)
            }
        }
    }
}

struct ChainPowerShortfallTests {
    @Test("a validator joining with more than half the genesis validator's power stops the chain, and the status says why")
    func joiningValidatorHaltsVisibly() async throws {
        try await withTemporaryDirectory { directory in
            let chain = try await openChain(in: directory)
            let joining = TestKeys.signingKey(50_000)
            let stake = ChainFixtures.validatorStake * 6 / 10
            let join = ChainFixtures.signed(
                .createValidator(consensusKey: joining.verifyingKey, stake: stake, commissionBasisPoints: 500, moniker: "late"),
                from: 2, nonce: 0)
            _ = try await chain.submit(encoding: join.canonicalEncoding)
            #expect(try await chain.produceBlock(time: ChainFixtures.genesisTime + 1_000) != nil)
            #expect(await chain.status.waitingForPower == nil)

            #expect(try await chain.produceBlock(time: ChainFixtures.genesisTime + 2_000) == nil)
            let shortfall = try #require(await chain.status.waitingForPower)
            #expect(shortfall.signingPower == ChainFixtures.validatorStake)
            #expect(shortfall.totalPower == ChainFixtures.validatorStake + stake)
            #expect(shortfall.absent.map(\.address) == [ChainFixtures.address(2)])
            #expect(shortfall.description.contains("waiting for \(ChainFixtures.address(2)) (\(stake))"))
        }
    }

    @Test("a node whose validator key is not in the set says it holds no power")
    func foreignKey() async throws {
        try await withTemporaryDirectory { directory in
            let chain = try await openChain(in: directory, validatorKey: TestKeys.signingKey(50_001))
            #expect(try await chain.produceBlock(time: ChainFixtures.genesisTime + 1_000) == nil)
            let shortfall = try #require(await chain.status.waitingForPower)
            #expect(shortfall.signingPower == 0 && shortfall.absent.map(\.address) == [ChainFixtures.validatorAddress])
        }
    }
}
