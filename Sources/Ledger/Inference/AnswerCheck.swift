// How the chain re-checks an answer a server signed.

import DeAICore

/// The chain's side of ``ForgeryEvidence``: every check before a server is slashed.
enum AnswerCheck {
    /// Checks that `evidence` proves a forged answer this chain can punish: the receipt is signed by a bonded,
    /// unpunished server for a model version the chain holds; the weights, the schema and the rows are the ones
    /// the hashes name; and re-executing the rows gives an output whose hash differs from the receipt's.
    /// - Throws: ``LedgerError/invalidEvidence(reason:)`` naming the check that failed.
    static func requireForged(_ evidence: ForgeryEvidence, in state: LedgerState) throws(LedgerError) {
        let receipt = evidence.receipt
        guard receipt.isSigned(chainID: state.chainID) else {
            throw .invalidEvidence(reason: "the receipt is not signed by the server key it names")
        }
        let server = receipt.server.address
        let bond = state.serverBonds[server] ?? ServerBond()
        guard !bond.punished else { throw .invalidEvidence(reason: "server \(server) was already punished for a forged answer") }
        guard bond.bonded + bond.unbonding > 0 else { throw .invalidEvidence(reason: "server \(server) has nothing bonded to slash") }
        guard let version = state.modelVersions[receipt.taskID]?[receipt.version], let task = state.tasks[receipt.taskID] else {
            throw .invalidEvidence(reason: "task \(receipt.taskID) has no model version \(receipt.version)")
        }
        guard version.model == receipt.model else {
            throw .invalidEvidence(reason: "model version \(receipt.version) of task \(receipt.taskID) is \(version.model), the receipt names \(receipt.model)")
        }
        guard AnswerReceipt.inputHash(rows: evidence.inputs.rows) == receipt.input, evidence.inputs.width != nil else {
            throw .invalidEvidence(reason: "the rows do not hash to the receipt's input \(receipt.input)")
        }
        let model: ServedModel
        do {
            model = try ServedModel(task: task.spec, modelBlob: evidence.modelBlob, expectedModel: version.model, schemaBlob: evidence.schemaBlob)
        } catch {
            throw .invalidEvidence(reason: "\(error)")
        }
        let answer: ServedModel.Answer
        do {
            answer = try model.answer(evidence.inputs.rows)
        } catch {
            throw .invalidEvidence(reason: "the rows cannot be re-executed, so no answer to them is provably forged: \(error)")
        }
        guard answer.outputHash != receipt.output else {
            throw .invalidEvidence(reason: "the answer is correct: re-executing the rows gives the receipt's output \(receipt.output)")
        }
    }
}
