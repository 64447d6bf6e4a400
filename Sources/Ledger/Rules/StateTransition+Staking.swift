// Validators, stake, delegation, unbonding and the block reward.

import DeAICore

extension StateTransition {
    static func createValidator(
        _ address: Address, consensusKey: VerifyingKey, stake: Amount, commission: UInt16, moniker: String,
        in state: inout LedgerState
    ) throws(LedgerError) {
        guard state.validators[address] == nil else { throw .validatorAlreadyExists(address) }
        guard commission <= 10_000 else { throw .commissionTooHigh(basisPoints: commission) }
        guard stake >= state.parameters.minimumValidatorStake else {
            throw .stakeBelowMinimum(minimum: state.parameters.minimumValidatorStake, offered: stake)
        }
        guard !state.validators.values.contains(where: { $0.consensusKey == consensusKey }) else {
            throw .consensusKeyInUse(consensusKey)
        }
        try self.debit(stake, from: address, in: &state)
        state.setValidator(
            Validator(operatorAddress: address, consensusKey: consensusKey, moniker: moniker, selfStake: stake, commissionBasisPoints: commission),
            for: address
        )
    }

    static func stake(_ amount: Amount, validator address: Address, in state: inout LedgerState) throws(LedgerError) {
        guard amount > 0 else { throw .zeroAmount }
        guard var validator = state.validators[address] else { throw .unknownValidator(address) }
        guard !validator.tombstoned else { throw .validatorTombstoned(address) }
        validator.selfStake = try self.sum(validator.selfStake, amount)
        try self.debit(amount, from: address, in: &state)
        state.setValidator(validator, for: address)
    }

    static func unstake(_ amount: Amount, validator address: Address, in state: inout LedgerState, context: BlockContext) throws(LedgerError) {
        guard amount > 0 else { throw .zeroAmount }
        guard var validator = state.validators[address] else { throw .unknownValidator(address) }
        guard validator.selfStake >= amount else {
            throw .insufficientStake(validator: address, requested: amount, bonded: validator.selfStake)
        }
        validator.selfStake -= amount
        state.setValidator(validator, for: address)
        self.startUnbonding(amount, owner: address, validator: address, in: &state, context: context)
    }

    static func delegate(_ amount: Amount, from delegator: Address, to address: Address, in state: inout LedgerState) throws(LedgerError) {
        guard amount > 0 else { throw .zeroAmount }
        guard var validator = state.validators[address] else { throw .unknownValidator(address) }
        guard !validator.tombstoned else { throw .validatorTombstoned(address) }
        let key = DelegationKey(delegator: delegator, validator: address)
        let delegated = try self.sum(state.delegations[key] ?? 0, amount)
        validator.delegatedStake = try self.sum(validator.delegatedStake, amount)
        try self.debit(amount, from: delegator, in: &state)
        state.setDelegation(delegated, for: key)
        state.setValidator(validator, for: address)
    }

    static func undelegate(
        _ amount: Amount, from delegator: Address, to address: Address, in state: inout LedgerState, context: BlockContext
    ) throws(LedgerError) {
        guard amount > 0 else { throw .zeroAmount }
        guard var validator = state.validators[address] else { throw .unknownValidator(address) }
        let key = DelegationKey(delegator: delegator, validator: address)
        let delegated = state.delegations[key] ?? 0
        guard delegated >= amount else {
            throw .insufficientDelegation(delegator: delegator, validator: address, requested: amount, bonded: delegated)
        }
        validator.delegatedStake -= amount
        state.setDelegation(delegated - amount, for: key)
        state.setValidator(validator, for: address)
        self.startUnbonding(amount, owner: delegator, validator: address, in: &state, context: context)
    }

    private static func startUnbonding(
        _ amount: Amount, owner: Address, validator: Address, in state: inout LedgerState, context: BlockContext
    ) {
        let id = state.globals.nextUnbondingID
        state.globals.nextUnbondingID += 1
        let completion = self.height(context.height, plus: state.parameters.unbondingPeriod)
        state.setUnbonding(
            Unbonding(owner: owner, validator: validator, amount: amount, startHeight: context.height, completionHeight: completion),
            id: id)
    }

    /// Credits every unbonding entry whose completion height has come, in identifier order.
    static func completeUnbondings(in state: inout LedgerState, context: BlockContext) {
        let due = state.unbondings.filter { $0.value.completionHeight <= context.height }.keys.sorted()
        for id in due {
            guard let entry = state.unbondings[id] else { continue }
            state.setUnbonding(nil, id: id)
            // Unbonding tokens are part of the supply, so crediting them back cannot overflow.
            try? self.credit(entry.amount, to: entry.owner, in: &state)
        }
    }

    /// Mints the block reward: the treasury's share to the treasury; the rest to the proposer's validator,
    /// split by stake between the operator (plus commission on the delegators' part) and its delegators.
    /// Rounding remainders go to the operator.
    static func distributeBlockReward(in state: inout LedgerState, context: BlockContext) {
        let reward = state.parameters.blockReward
        guard reward > 0, state.globals.totalSupply <= Amount.max - reward else { return }
        state.globals.totalSupply += reward
        let treasuryShare = self.share(of: reward, numerator: state.parameters.treasuryShareBasisPoints, denominator: 10_000)
        var remaining = reward - treasuryShare
        state.globals.treasury &+= treasuryShare
        guard let validator = state.validators[context.proposer], validator.power > 0 else {
            state.globals.treasury &+= remaining
            return
        }
        let delegatorsPart = self.share(of: remaining, numerator: validator.delegatedStake, denominator: validator.power)
        let commission = self.share(of: delegatorsPart, numerator: Amount(validator.commissionBasisPoints), denominator: 10_000)
        let toDelegators = delegatorsPart - commission
        let delegations = state.delegations
            .filter { $0.key.validator == context.proposer }
            .sorted { $0.key < $1.key }
        for (key, amount) in delegations {
            let part = self.share(of: toDelegators, numerator: amount, denominator: validator.delegatedStake)
            try? self.credit(part, to: key.delegator, in: &state)
            remaining -= part
        }
        try? self.credit(remaining, to: context.proposer, in: &state)
    }
}
