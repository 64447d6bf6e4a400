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

    @Test("validators and active task members hold stake; a funded account alone does not, nor a member that left")
    func holdsStake() throws {
        var setup = try TaskLedger()
        let state = { setup.ledger.state }
        #expect(state().holdsStake(ChainFixtures.validatorAddress))
        #expect(state().holdsStake(ChainFixtures.address(TaskLedger.trainers[0])))
        #expect(state().holdsStake(ChainFixtures.address(TaskLedger.evaluators[0])))
        #expect(!state().holdsStake(ChainFixtures.address(TaskLedger.sponsor)), "a sponsor escrows a pool, not stake")
        #expect(!state().holdsStake(ChainFixtures.address(9)))
        try setup.expectSuccess(setup.send(.leaveTask(taskID: setup.taskID), from: TaskLedger.trainers[0]))
        #expect(!state().holdsStake(ChainFixtures.address(TaskLedger.trainers[0])))
    }
}
