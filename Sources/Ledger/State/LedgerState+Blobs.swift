// LedgerState: the blobs the chain names, and who may publish blobs it does not name yet.

public import DeAICore

extension LedgerState {
    /// Every blob the state names: each task's initial model, current model and data schema blob; each round's
    /// base model and its parent, revealed updates, attested models and result; each model version and its parent.
    ///
    /// A node keeps these blobs; any other is unreferenced and collected once its grace period ends. Not part of
    /// consensus: the set is local bookkeeping, and its order does not matter.
    /// - Complexity: O(tasks + rounds + updates + attestations + versions).
    public var referencedBlobs: Set<SHA256Digest> {
        var blobs: Set<SHA256Digest> = []
        for task in self.tasks.values {
            blobs.insert(task.spec.initialModel)
            blobs.insert(task.model)
            if let schema = task.spec.dataSchemaBlob { blobs.insert(schema) }
        }
        for round in self.rounds.values.lazy.flatMap(\.values) {
            blobs.insert(round.baseModel)
            if let parent = round.baseParent { blobs.insert(parent) }
            if let result = round.resultModel { blobs.insert(result) }
            for update in round.updates { blobs.insert(update.blob) }
            for attestation in round.attestations { blobs.insert(attestation.model) }
        }
        for version in self.modelVersions.values.lazy.flatMap(\.values) {
            blobs.insert(version.model)
            blobs.insert(version.parent)
        }
        return blobs
    }

    /// The tokens `address` has at stake that the chain can slash or hold: bonded to validators (its own or
    /// delegated) and held by the tasks it is an active member of. What it may publish before the chain names it
    /// is bounded by this (a blob store's quota), so that storage is bought with stake, not with new accounts.
    /// - Complexity: O(delegations + tasks).
    public func stakeAtRisk(of address: Address) -> Amount {
        var total = self.bondedStake(of: address)
        for members in self.taskMembers.values {
            if let member = members[address], member.active { total &+= member.stake }
        }
        return total
    }
}
