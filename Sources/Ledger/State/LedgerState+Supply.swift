// Ledger: the supply bookkeeping of a ledger state, for audits and invariant checks.

import DeAICore

extension LedgerState {
    /// Every token the state can account for: balances, bonded stake, unbonding entries, deposits of open
    /// proposals, the treasury, training tasks' escrows and member stakes, payment channels' unclaimed deposits and
    /// inference servers' bonds. Equals
    /// ``GlobalState/totalSupply`` when the bookkeeping is right.
    public var accountedSupply: Amount {
        var total = self.globals.treasury
        for account in self.accounts.values { total += account.balance }
        for validator in self.validators.values { total += validator.selfStake + validator.delegatedStake }
        for entry in self.unbondings.values { total += entry.amount }
        for proposal in self.proposals.values where proposal.status == .depositPeriod || proposal.status == .voting {
            total += proposal.totalDeposit
        }
        for task in self.tasks.values { total += task.escrow }
        for members in self.taskMembers.values {
            for member in members.values { total += member.stake }
        }
        for channel in self.channels.values { total += channel.unclaimed }
        for bond in self.serverBonds.values { total += bond.bonded + bond.unbonding }
        return total
    }

    /// Whether every validator's delegated stake is the sum of the delegations to it.
    public var delegationsAddUp: Bool {
        var sums: [Address: Amount] = [:]
        for (key, amount) in self.delegations { sums[key.validator, default: 0] += amount }
        return self.validators.values.allSatisfy { $0.delegatedStake == (sums[$0.operatorAddress] ?? 0) }
    }
}
