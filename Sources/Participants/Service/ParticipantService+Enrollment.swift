// Making sure the role's key is a member of its task: joining with the configured stake, or waiting for a join.

import APITypes
import DeAICore
import Ledger
import Logging
import Node

extension ParticipantService {
    /// Returns once the key is an active member of `task` in this role: at once when it is, after its own
    /// `join_task` when a stake is configured, else when someone joins it (`deai task join`).
    ///
    /// - Returns: `false` when the task completed before the key became a member.
    /// - Throws: ``Node/NodeError`` (`invalidConfiguration`) when the key is a member in the other role or the
    ///   stake is below the task's minimum; ``ParticipantError`` when the join is refused or fails.
    func enroll(in task: TrainingTask, client: NodeClient) async throws -> Bool {
        let membership = StateKey.taskMember(taskID: self.taskID, member: self.address)
        var entry = try await client.stateEntry(membership)
        if try self.isMember(entry) { return true }
        if let stake = self.stake {
            try await self.join(task, stake: stake, client: client)
        } else {
            self.logger.debug("waiting for the key to join the task")
        }
        while true {
            try Task.checkCancellation()
            let seen = entry.valueHash
            entry = try await client.stateEntry(membership, changedFrom: seen, timeout: Self.pollTimeout)
            if try self.isMember(entry) { return true }
            if entry.valueHash == seen, try await self.hasCompleted(client) { return false }
        }
    }

    /// Whether `entry` holds an active membership, checked to be in this role.
    private func isMember(_ entry: StateEntryView) throws -> Bool {
        guard let value = entry.value else { return false }
        let member = try TaskMember(canonicalEncoding: value.bytes)
        guard member.active else { return false }
        guard member.role == self.kind else {
            throw NodeError(
                .invalidConfiguration,
                "\(self): the key is a \(member.role.rawValue) of task \(self.taskID), not a \(self.kind.rawValue); "
                    + "change the role's kind or use another key"
            )
        }
        return true
    }

    private func hasCompleted(_ client: NodeClient) async throws -> Bool {
        guard let value = try await client.stateEntry(.task(id: self.taskID)).value else { return false }
        return try TrainingTask(canonicalEncoding: value.bytes).status == .completed
    }

    /// Signs and submits `join_task` with `stake`, and waits for its receipt.
    private func join(_ task: TrainingTask, stake: Amount, client: NodeClient) async throws {
        guard stake >= task.spec.minimumStake else {
            throw NodeError(
                .invalidConfiguration,
                "\(self): the stake \(stake) is below the task's minimum stake \(task.spec.minimumStake)"
            )
        }
        let nonce = try await client.account(self.address).nextNonce
        let fee = try await client.parameters().parameters.minimumFee
        let body = TransactionBody(
            chainID: self.chainID, sender: self.key.verifyingKey, nonce: nonce, fee: fee,
            payload: .joinTask(
                taskID: self.taskID, role: self.kind, stake: stake, dataCommitment: self.dataCommitment,
                sealingKey: self.kind == .evaluator ? self.key.sealingKey.publicKey : nil),
            memo: ""
        )
        let result = try await client.submit(try Transaction(signing: body, with: self.key), wait: true)
        if let error = result.error {
            throw ParticipantError.unexpectedResponse(reason: "the node refused join_task: \(error.message)")
        }
        if let receipt = result.receipt, !receipt.success {
            throw ParticipantError.unexpectedResponse(
                reason: "join_task failed in block \(receipt.height) (code \(receipt.code)): \(receipt.message)"
            )
        }
        self.logger.debug("joined the task", metadata: ["stake": "\(stake)"])
    }
}
