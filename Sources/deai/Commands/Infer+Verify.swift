// Infer+Verify: `deai infer --verify` re-executes every answer and proves a forged one on chain.

import APITypes
import DeAICore
import Foundation
import Ledger
import Node
import Participants
import Serving

/// Re-checks a server's answers: each receipt must be signed by the server for the rows sent, and re-executing the
/// rows on the fixed-order path (the model and schema fetched from the node, their hashes checked) must give the
/// receipt's output. A signed receipt whose output differs is proven forged with `report_forged_answer`, which
/// slashes the server's bond and pays the reporter.
struct AnswerVerifier {
    /// What the check found.
    struct Outcome: Encodable {
        /// Answers re-executed.
        var checked: Int
        /// Answers whose receipt was signed for the rows and whose output matched.
        var confirmed: Int
        /// Answers proven forged on chain.
        var reported: Int
        /// Why answers could not be confirmed, one line each.
        var problems: [String]
    }

    let node: NodeOptions
    let key: SigningKey
    let home: String

    /// Checks `answers`, the answers to `batches` of model `model` from `catalog`'s server.
    func verify(_ answers: [PredictResponse], batches: [[[Double]]], model: String, catalog: ServedModelsView) async throws -> Outcome {
        let client = try self.node.client()
        let local = try await ModelLoading.load([model], from: client)[0]
        var outcome = Outcome(checked: 0, confirmed: 0, reported: 0, problems: [])
        for (answer, rows) in zip(answers, batches) {
            outcome.checked += 1
            let receipt = answer.receipt.receipt
            guard receipt.isSigned(chainID: catalog.chainID), receipt.server.address == catalog.server else {
                outcome.problems.append("an answer's receipt is not signed by the server \(catalog.server): it proves nothing")
                continue
            }
            guard receipt.input == AnswerReceipt.inputHash(rows: rows), receipt.model == local.model else {
                outcome.problems.append("an answer's receipt names other rows or another model than those asked for")
                continue
            }
            if try local.served.answer(rows).outputHash == receipt.output {
                outcome.confirmed += 1
                continue
            }
            try await self.report(receipt, rows: rows, model: local, client: client, chainID: catalog.chainID)
            outcome.reported += 1
        }
        return outcome
    }

    /// Sends the evidence that `receipt` is forged.
    private func report(
        _ receipt: AnswerReceipt, rows: [[Double]], model: LoadedModel, client: NodeClient, chainID: String
    ) async throws {
        let task = try await client.task(model.taskID).spec.spec
        var schema: [UInt8] = []
        if let named = TaskSpec.dataSchemaBlob(in: task.dataSchema) { schema = try await client.getBlob(named) }
        let evidence = ForgeryEvidence(
            receipt: receipt, inputs: InferenceRows(rows), modelBlob: try await client.getBlob(model.model), schemaBlob: schema)
        let account = try HTTPTrainingNetwork(
            nodeURL: self.node.node, key: self.key, chainID: chainID, blobDirectory: self.home + "/channels/blobs")
        try await account.send(.reportForgedAnswer(evidence))
        Output.printFlushed("Proved a forged answer of \(receipt.server.address) on chain: its bond is slashed.")
    }
}
