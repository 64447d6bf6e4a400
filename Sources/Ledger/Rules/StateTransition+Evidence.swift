// Punishing a double vote: evidence slashes the validator's stake and removes it from the set for good.

import DeAICore

extension StateTransition {
    /// Checks that `evidence` proves a double vote this chain can still punish: two conflicting votes of this
    /// chain, signed by the consensus key of a validator that is not yet tombstoned, at a height no later than
    /// `height` and no more than an unbonding period before it (older stake may have left).
    /// - Throws: ``LedgerError/invalidEvidence(reason:)``, ``LedgerError/unknownValidator(_:)`` or
    ///   ``LedgerError/validatorTombstoned(_:)``.
    public static func checkEvidence(_ evidence: DuplicateVoteEvidence, in state: LedgerState, height: Height) throws(LedgerError) {
        let vote = evidence.first.vote
        guard vote.chainID == state.chainID else {
            throw .invalidEvidence(reason: "the votes are for chain \(vote.chainID)")
        }
        guard vote.height <= height, height - vote.height <= state.parameters.unbondingPeriod else {
            throw .invalidEvidence(
                reason: "the votes are for height \(vote.height); evidence counts up to \(state.parameters.unbondingPeriod) blocks later")
        }
        guard let validator = state.validators[evidence.validator] else { throw .unknownValidator(evidence.validator) }
        guard !validator.tombstoned else { throw .validatorTombstoned(evidence.validator) }
        try evidence.verify(key: validator.consensusKey)
    }

    /// Punishes the double vote `evidence` proves: `double_sign_slash_basis_points` of the validator's self-stake,
    /// of each delegation to it, and of each unbonding from it that started after the double vote go to the
    /// treasury (rounded down, in a fixed order: delegations by key, unbondings by identifier); the validator is
    /// tombstoned, so it leaves the set at the next block and takes no new stake.
    static func punishDoubleSign(_ evidence: DuplicateVoteEvidence, in state: inout LedgerState, context: BlockContext) throws(LedgerError) {
        try self.checkEvidence(evidence, in: state, height: context.height)
        let address = evidence.validator
        guard var validator = state.validators[address] else { throw .unknownValidator(address) }
        let share = state.parameters.doubleSignSlashBasisPoints
        func slashed(_ amount: Amount) -> Amount {
            Amount((UInt128(amount) * UInt128(share)) / 10_000)
        }
        var total = slashed(validator.selfStake)
        validator.selfStake -= total
        for (key, amount) in state.delegations.filter({ $0.key.validator == address }).sorted(by: { $0.key < $1.key }) {
            let cut = slashed(amount)
            state.setDelegation(amount - cut, for: key)
            validator.delegatedStake -= cut
            total += cut
        }
        let infraction = evidence.first.vote.height
        for (id, entry) in state.unbondings.filter({ $0.value.validator == address }).sorted(by: { $0.key < $1.key }) {
            guard entry.startHeight > infraction else { continue }
            var remaining = entry
            let cut = slashed(entry.amount)
            remaining.amount -= cut
            state.setUnbonding(remaining, id: id)
            total += cut
        }
        validator.tombstoned = true
        state.setValidator(validator, for: address)
        state.globals.treasury = try self.sum(state.globals.treasury, total)
    }
}
