// How the model's share of inference revenue reaches the people whose work made the model.

import DeAICore

/// Divides the model's share of a channel claim among the contributors of the version served and of every
/// ancestor, in proportion to what each version paid each contributor in training.
///
/// A task's versions form a line (version k+1 is trained from version k), so the lineage of version v is
/// versions 1…v. Each (version, contributor) pair weighs the rewards its accepted updates earned in the round
/// that produced the version; a pair's share is `amount × weight / total weight`, rounded down, and the units
/// rounding leaves go one each to the pairs with the largest remainders (ties in ``InferenceEarningKey`` order),
/// so the whole amount is shared. Integers only: every node divides the same way.
public enum LineageRevenue {
    /// One contributor's part of a claim, for its work in one version.
    public struct Share: Sendable, Hashable {
        /// The task, version and contributor.
        public var key: InferenceEarningKey
        /// Tokens paid.
        public var amount: Amount
    }

    /// The shares of `amount` for a claim on version `version` of task `taskID`, and what is left undistributed:
    /// nothing, unless no contributor of the lineage was paid in training (then all of `amount`).
    public static func split(_ amount: Amount, taskID: UInt64, version: UInt32, in state: LedgerState)
        -> (shares: [Share], undistributed: Amount)
    {
        let weights = self.trainingPay(taskID: taskID, through: version, in: state).sorted { $0.key < $1.key }
        let total = weights.reduce(UInt128(0)) { $0 + UInt128($1.value) }
        guard total > 0, amount > 0 else { return ([], amount) }
        var parts = weights.map { key, weight in
            let product = UInt128(amount) * UInt128(weight)
            return (key: key, amount: Amount(product / total), remainder: product % total)
        }
        // Largest remainders: the units rounding down left go one each to the pairs whose exact share lost the
        // most, ties in key order, so a small claim is shared too and no token is left over.
        let left = Int(amount - parts.reduce(0) { $0 + $1.amount })
        let order = parts.indices.sorted { parts[$0].remainder != parts[$1].remainder ? parts[$0].remainder > parts[$1].remainder : $0 < $1 }
        for index in order.prefix(left) { parts[index].amount += 1 }
        return (parts.filter { $0.amount > 0 }.map { Share(key: $0.key, amount: $0.amount) }, 0)
    }

    /// What each contributor was paid for its updates in the rounds that produced versions 1…`version`.
    public static func trainingPay(taskID: UInt64, through version: UInt32, in state: LedgerState)
        -> [InferenceEarningKey: Amount]
    {
        var pay: [InferenceEarningKey: Amount] = [:]
        guard version > 0 else { return pay }
        for number in 1...version {
            guard let modelVersion = state.modelVersions[taskID]?[number],
                let round = state.rounds[taskID]?[modelVersion.round]
            else { continue }
            for (update, verdict) in zip(round.updates, round.verdicts) where verdict.reward > 0 {
                let key = InferenceEarningKey(taskID: taskID, version: number, contributor: update.contributor)
                pay[key, default: 0] &+= verdict.reward
            }
        }
        return pay
    }
}
