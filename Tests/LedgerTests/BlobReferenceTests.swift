// The blobs the state names, and which accounts hold stake: what a node's blob store keeps and whom it trusts.

import DeAICore
import DeAITesting
import Ledger
import Testing

@Suite("Blob references and stake")
struct BlobReferenceTests {
    @Test("the state names a task's initial model and schema blob, and every revealed update")
    func referencedBlobs() throws {
        let schema = SHA256Digest(hashing: Array("schema".utf8))
        var spec = TrainingFixtures.spec(minimumEvaluators: 3)
        spec.dataSchema = TaskSpec.dataSchema(naming: schema)
        let setup = try TaskLedger.withUpdates(spec: spec)
        let named = setup.ledger.state.referencedBlobs
        #expect(named.contains(spec.initialModel))
        #expect(named.contains(schema))
        let updates = setup.round.updates.map(\.blob)
        #expect(!updates.isEmpty)
        #expect(updates.allSatisfy(named.contains))
        #expect(!named.contains(SHA256Digest(hashing: Array("a blob nobody named".utf8))))
    }

    @Test("a data schema names a blob only as table-schema sha256:<64 hex digits>")
    func dataSchemaBlob() {
        let hash = SHA256Digest(hashing: Array("schema".utf8))
        #expect(TaskSpec.dataSchemaBlob(in: TaskSpec.dataSchema(naming: hash)) == hash)
        #expect(TaskSpec.dataSchemaBlob(in: "30 standardized features") == nil)
        #expect(TaskSpec.dataSchemaBlob(in: TaskSpec.dataSchemaBlobPrefix + "abc") == nil)
    }

    @Test("stake at risk: a validator's bond, a member's task stakes; nothing for a funded account, a sponsor, or a member that left")
    func stakeAtRisk() throws {
        var setup = try TaskLedger()
        let state = { setup.ledger.state }
        let trainer = ChainFixtures.address(TaskLedger.trainers[0])
        #expect(state().stakeAtRisk(of: ChainFixtures.validatorAddress) == ChainFixtures.validatorStake)
        #expect(state().stakeAtRisk(of: trainer) == 200)
        #expect(state().stakeAtRisk(of: ChainFixtures.address(TaskLedger.evaluators[0])) == 300)
        #expect(state().stakeAtRisk(of: ChainFixtures.address(TaskLedger.sponsor)) == 0, "a sponsor escrows a pool, not stake")
        #expect(state().stakeAtRisk(of: ChainFixtures.address(9)) == 0)
        try setup.expectSuccess(setup.send(.leaveTask(taskID: setup.taskID), from: TaskLedger.trainers[0]))
        #expect(state().stakeAtRisk(of: trainer) == 0)
    }
}
