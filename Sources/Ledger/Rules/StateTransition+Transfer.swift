// Token transfers.

import DeAICore

extension StateTransition {
    static func transfer(_ amount: Amount, from sender: Address, to recipient: Address, in state: inout LedgerState) throws(LedgerError) {
        guard amount > 0 else { throw .zeroAmount }
        let balance = state.account(sender).balance
        guard balance >= amount else { throw .insufficientFunds(account: sender, needed: amount, available: balance) }
        guard sender != recipient else { return }
        _ = try self.sum(state.account(recipient).balance, amount)
        try self.debit(amount, from: sender, in: &state)
        try self.credit(amount, to: recipient, in: &state)
    }
}
