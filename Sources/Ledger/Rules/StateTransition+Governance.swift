// Proposals, deposits, votes, tallies and execution of passed proposals.

import DeAICore

extension StateTransition {
    static func submitProposal(
        _ content: ProposalContent, deposit: Amount, proposer: Address, in state: inout LedgerState, context: BlockContext
    ) throws(LedgerError) {
        try content.validate()
        let balance = state.account(proposer).balance
        guard balance >= deposit else { throw .insufficientFunds(account: proposer, needed: deposit, available: balance) }
        try self.debit(deposit, from: proposer, in: &state)
        let id = state.globals.nextProposalID
        state.globals.nextProposalID += 1
        var proposal = Proposal(
            id: id, proposer: proposer, content: content, status: .depositPeriod, submitHeight: context.height,
            depositEndHeight: self.height(context.height, plus: state.parameters.depositPeriod)
        )
        if deposit > 0 {
            proposal.totalDeposit = deposit
            proposal.deposits[proposer] = deposit
        }
        self.openVotingIfFunded(&proposal, state: state, context: context)
        state.setProposal(proposal)
    }

    static func deposit(_ amount: Amount, on id: UInt64, from depositor: Address, in state: inout LedgerState, context: BlockContext) throws(LedgerError) {
        guard amount > 0 else { throw .zeroAmount }
        guard var proposal = state.proposals[id] else { throw .unknownProposal(id: id) }
        guard proposal.status == .depositPeriod || proposal.status == .voting else {
            throw .proposalNotOpenForDeposit(id: id, status: proposal.status)
        }
        proposal.totalDeposit = try self.sum(proposal.totalDeposit, amount)
        proposal.deposits[depositor] = try self.sum(proposal.deposits[depositor] ?? 0, amount)
        try self.debit(amount, from: depositor, in: &state)
        self.openVotingIfFunded(&proposal, state: state, context: context)
        state.setProposal(proposal)
    }

    static func vote(_ option: VoteOption, on id: UInt64, voter: Address, in state: inout LedgerState) throws(LedgerError) {
        guard let proposal = state.proposals[id] else { throw .unknownProposal(id: id) }
        guard proposal.status == .voting else { throw .proposalNotVoting(id: id, status: proposal.status) }
        guard state.bondedStake(of: voter) > 0 else { throw .noVotingPower(voter) }
        state.setVote(option, proposalID: id, voter: voter)
    }

    private static func openVotingIfFunded(_ proposal: inout Proposal, state: LedgerState, context: BlockContext) {
        guard proposal.status == .depositPeriod, proposal.totalDeposit >= state.parameters.proposalMinimumDeposit else { return }
        proposal.status = .voting
        proposal.votingEndHeight = self.height(context.height, plus: state.parameters.votingPeriod)
    }

    /// Closes, in identifier order, every proposal whose deposit period or voting period ends at this height.
    static func endProposalPeriods(in state: inout LedgerState, context: BlockContext) {
        let due = state.proposals.values.filter {
            ($0.status == .depositPeriod && $0.depositEndHeight <= context.height)
                || ($0.status == .voting && $0.votingEndHeight <= context.height)
        }
        .map(\.id).sorted()
        for id in due {
            guard var proposal = state.proposals[id] else { continue }
            if proposal.status == .depositPeriod {
                proposal.status = .rejected
                proposal.failure = .depositNotReached
                self.refundDeposits(of: proposal, in: &state)
            } else {
                self.tally(&proposal, in: &state)
            }
            state.setProposal(proposal)
        }
    }

    /// Tallies a proposal by the voters' bonded stake now, then executes it if it passed.
    ///
    /// Quorum: the voters hold at least `quorum_basis_points` of all bonded stake. Veto: more than
    /// `veto_basis_points` of the votes are veto — rejected, deposits burned. Pass: yes is more than
    /// `threshold_basis_points` of yes + no + veto.
    private static func tally(_ proposal: inout Proposal, in state: inout LedgerState) {
        var bonded: [Address: Amount] = [:]
        for validator in state.validators.values { bonded[validator.operatorAddress, default: 0] &+= validator.selfStake }
        for (key, amount) in state.delegations { bonded[key.delegator, default: 0] &+= amount }
        var tally = TallyResult()
        for (voter, option) in (state.votes[proposal.id] ?? [:]).sorted(by: { $0.key < $1.key }) {
            tally.add(bonded[voter] ?? 0, for: option)
        }
        proposal.tally = tally
        let parameters = state.parameters
        let decisive = tally.yes &+ tally.no &+ tally.noWithVeto
        if !self.fraction(tally.total, of: state.totalBondedStake, exceeds: parameters.quorumBasisPoints, strictly: false)
            || tally.total == 0
        {
            proposal.status = .rejected
            proposal.failure = .quorumNotReached
            self.refundDeposits(of: proposal, in: &state)
        } else if self.fraction(tally.noWithVeto, of: tally.total, exceeds: parameters.vetoBasisPoints, strictly: true) {
            proposal.status = .rejected
            proposal.failure = .vetoed
            state.globals.totalSupply -= proposal.totalDeposit
        } else if decisive > 0, self.fraction(tally.yes, of: decisive, exceeds: parameters.thresholdBasisPoints, strictly: true) {
            self.refundDeposits(of: proposal, in: &state)
            do {
                try self.executePassed(proposal.content, in: &state)
                proposal.status = .passed
            } catch {
                proposal.status = .failed
                proposal.failure = .executionFailed(code: error.code)
            }
        } else {
            proposal.status = .rejected
            proposal.failure = .thresholdNotPassed
            self.refundDeposits(of: proposal, in: &state)
        }
    }

    private static func refundDeposits(of proposal: Proposal, in state: inout LedgerState) {
        for (depositor, amount) in proposal.deposits.sorted(by: { $0.key < $1.key }) {
            // Deposits are part of the supply, so returning them cannot overflow.
            try? self.credit(amount, to: depositor, in: &state)
        }
    }

    /// Executes a passed proposal; all of it or, on a throw, none of it.
    private static func executePassed(_ content: ProposalContent, in state: inout LedgerState) throws(LedgerError) {
        switch content {
        case .text: return
        case .parameterChange(_, let changes):
            var parameters = state.parameters
            for change in changes { try parameters.set(change.name, to: change.value) }
            state.parameters = parameters
        case .treasurySpend(_, let recipient, let amount):
            guard state.globals.treasury >= amount else {
                throw .invalidProposal(reason: "the treasury holds \(state.globals.treasury), the spend is \(amount)")
            }
            _ = try self.sum(state.account(recipient).balance, amount)
            state.globals.treasury -= amount
            try self.credit(amount, to: recipient, in: &state)
        }
    }
}
