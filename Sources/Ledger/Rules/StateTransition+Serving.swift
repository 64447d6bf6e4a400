// Inference servers: their bonds, and the punishment of a forged answer.

import DeAICore

extension StateTransition {
    /// Checks that `server` may take new channels: bonded at least `minimum_server_bond`, never punished.
    static func requireServing(_ server: Address, in state: LedgerState) throws(LedgerError) {
        let bond = state.serverBonds[server] ?? ServerBond()
        let minimum = state.parameters.minimumServerBond
        guard !bond.punished, bond.bonded >= minimum, bond.bonded > 0 else {
            throw .serverNotBonded(server: server, bonded: bond.punished ? 0 : bond.bonded, minimum: minimum)
        }
    }

    /// Bonds `amount` of the server's balance behind its answers.
    static func bondServer(_ amount: Amount, server: Address, in state: inout LedgerState) throws(LedgerError) {
        guard amount > 0 else { throw .zeroAmount }
        var bond = state.serverBonds[server] ?? ServerBond()
        bond.bonded = try self.sum(bond.bonded, amount)
        try self.debit(amount, from: server, in: &state)
        state.setServerBond(bond, for: server)
    }

    /// Starts unbonding `amount`: it stays slashable for the unbonding period, which restarts for the whole
    /// amount unbonding.
    static func unbondServer(_ amount: Amount, server: Address, in state: inout LedgerState, context: BlockContext) throws(LedgerError) {
        guard amount > 0 else { throw .zeroAmount }
        var bond = state.serverBonds[server] ?? ServerBond()
        guard bond.bonded >= amount else { throw .insufficientFunds(account: server, needed: amount, available: bond.bonded) }
        bond.bonded -= amount
        bond.unbonding += amount
        bond.unbondingCompletes = self.height(context.height, plus: state.parameters.unbondingPeriod)
        state.setServerBond(bond, for: server)
    }

    /// Returns matured server unbondings to their servers, in address order.
    static func completeServerUnbondings(in state: inout LedgerState, context: BlockContext) {
        let matured = state.serverBonds.filter { $0.value.unbonding > 0 && $0.value.unbondingCompletes <= context.height }
        for (server, bond) in matured.sorted(by: { $0.key < $1.key }) {
            var released = bond
            released.unbonding = 0
            state.setServerBond(released, for: server)
            // The tokens left the balance when bonded, so crediting them back cannot overflow the supply.
            try? self.credit(bond.unbonding, to: server, in: &state)
        }
    }

    /// Slashes the server whose receipt `evidence` proves forged: `forgery_slash_basis_points` of its bond and of
    /// what it is unbonding; `forgery_reporter_share_basis_points` of that to the reporter, the rest to the
    /// treasury. The server is marked punished and takes no new channel.
    static func punishForgery(_ evidence: ForgeryEvidence, reporter: Address, in state: inout LedgerState) throws(LedgerError) {
        try AnswerCheck.requireForged(evidence, in: state)
        let server = evidence.receipt.server.address
        var bond = state.serverBonds[server] ?? ServerBond()
        let parameters = state.parameters
        let fromBond = self.share(of: bond.bonded, numerator: parameters.forgerySlashBasisPoints, denominator: 10_000)
        let fromUnbonding = self.share(of: bond.unbonding, numerator: parameters.forgerySlashBasisPoints, denominator: 10_000)
        bond.bonded -= fromBond
        bond.unbonding -= fromUnbonding
        bond.punished = true
        state.setServerBond(bond, for: server)
        let slashed = fromBond + fromUnbonding
        let reward = self.share(of: slashed, numerator: parameters.forgeryReporterShareBasisPoints, denominator: 10_000)
        try self.credit(reward, to: reporter, in: &state)
        state.globals.treasury = try self.sum(state.globals.treasury, slashed - reward)
    }
}
