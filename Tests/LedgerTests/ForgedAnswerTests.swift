// A receipt that proves a forged answer slashes its server; an honest one proves nothing.

import DeAICore
import DeAITesting
import Ledger
import Testing

@Suite("Forged answers")
struct ForgedAnswerTests {
    /// Two rows of the fixture's 30 features.
    static let rows: [[Double]] = [(0..<30).map { Double($0) / 10 }, (0..<30).map { Double(30 - $0) / 7 }]

    /// The evidence of a receipt signed by the server for `rows`, whose output hash is the true one unless `forge`.
    static func evidence(_ serving: ServingLedger, forge: Bool, weights: [UInt8]? = nil) throws -> ForgeryEvidence {
        let version = serving.state.modelVersions[1]![1]!
        let task = serving.state.tasks[1]!
        let model = try ServedModel(task: task.spec, modelBlob: serving.weights, expectedModel: version.model, schemaBlob: [])
        let truth = try model.answer(Self.rows).outputHash
        let output = forge ? SHA256Digest(hashing: Array("a made-up answer".utf8)) : truth
        let receipt = try AnswerReceipt(
            signedBy: ChainFixtures.key(ServingLedger.server), chainID: ChainFixtures.chainID, taskID: 1, version: 1,
            model: version.model, input: AnswerReceipt.inputHash(rows: Self.rows), output: output)
        return ForgeryEvidence(
            receipt: receipt, inputs: InferenceRows(Self.rows), modelBlob: weights ?? serving.weights, schemaBlob: [])
    }

    @Test("a forged answer slashes the server's bond, pays the reporter half, and lets its clients close at once")
    func forgerySlashed() throws {
        var serving = try ServingLedger()
        try serving.open(deposit: 4_000, blocks: 100)
        let treasury = serving.state.globals.treasury
        let reporter = 5
        let before = serving.setup.ledger.balance(reporter)
        try serving.setup.sendAll([(.reportForgedAnswer(try Self.evidence(serving, forge: true)), reporter)])

        let bond = serving.state.serverBonds[ChainFixtures.address(ServingLedger.server)]!
        #expect(bond.punished && bond.bonded == 0)
        #expect(serving.setup.ledger.balance(reporter) + 1 - before == ServingLedger.bond / 2)
        #expect(serving.state.globals.treasury - treasury >= ServingLedger.bond / 2)
        // The client need not wait for the expiry: its server is punished.
        let client = serving.setup.ledger.balance(ServingLedger.client)
        try serving.setup.sendAll([(.closeChannel(channelID: 1), ServingLedger.client)])
        #expect(serving.setup.ledger.balance(ServingLedger.client) + 1 - client == 4_000)
        // Punished once: the same evidence again proves nothing more, and no new channel opens to it.
        let again = try serving.outcome(.reportForgedAnswer(try Self.evidence(serving, forge: true)), from: reporter)
        #expect(again.message.contains("already punished"))
        #expect(serving.setup.supplyAddsUp)
    }

    @Test("an honest answer, other weights or other rows prove nothing and slash no one")
    func honestOrMismatchedEvidenceRefused() throws {
        var serving = try ServingLedger()
        let honest = try serving.outcome(.reportForgedAnswer(try Self.evidence(serving, forge: false)), from: 5)
        #expect(honest.code == LedgerError.invalidEvidence(reason: "").code && honest.message.contains("the answer is correct"))

        var otherWeights = serving.weights
        otherWeights[otherWeights.count - 1] ^= 1
        let wrongWeights = try serving.outcome(.reportForgedAnswer(try Self.evidence(serving, forge: true, weights: otherWeights)), from: 5)
        #expect(wrongWeights.message.contains("the weights hash to"))

        var otherRows = try Self.evidence(serving, forge: true)
        otherRows.inputs = InferenceRows([Self.rows[0]])
        #expect(try serving.outcome(.reportForgedAnswer(otherRows), from: 5).message.contains("do not hash to the receipt's input"))

        var unsigned = try Self.evidence(serving, forge: true)
        unsigned.receipt.output = SHA256Digest(hashing: Array("another made-up answer".utf8))
        #expect(try serving.outcome(.reportForgedAnswer(unsigned), from: 5).message.contains("not signed"))

        let bond = serving.state.serverBonds[ChainFixtures.address(ServingLedger.server)]!
        #expect(!bond.punished && bond.bonded == ServingLedger.bond)
        #expect(serving.setup.supplyAddsUp)
    }

    @Test("evidence is bounded by max_evidence_bytes, not by max_transaction_bytes")
    func evidenceSizeLimit() throws {
        let serving = try ServingLedger()
        let transaction = ChainFixtures.signed(.reportForgedAnswer(try Self.evidence(serving, forge: true)), from: 5, nonce: 0)
        let size = transaction.canonicalEncoding.count
        var parameters = ChainParameters()
        parameters.maxTransactionBytes = 256
        parameters.maxEvidenceBytes = UInt64(size)
        #expect(size > 256)
        try StateTransition.validate(
            transaction, encodedSize: size, in: try ChainFixtures.genesis(parameters: parameters).makeState(),
            checkSignature: true)
        parameters.maxEvidenceBytes = UInt64(size - 1)
        #expect(throws: LedgerError.transactionTooLarge(bytes: size, limit: UInt64(size - 1))) {
            try StateTransition.validate(
                transaction, encodedSize: size, in: try ChainFixtures.genesis(parameters: parameters).makeState(),
                checkSignature: true)
        }
    }
}
