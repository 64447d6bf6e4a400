// APITypes: governance proposals in JSON.

public import DeAICore
public import Ledger

/// A governance proposal and where it is in its life cycle.
public struct ProposalView: Codable, Sendable, Hashable {
    /// One depositor's total deposit.
    public struct DepositView: Codable, Sendable, Hashable {
        /// Who deposited.
        public var depositor: Address
        /// How much in all.
        public var amount: Amount
    }

    /// The proposal's identifier.
    public var id: UInt64
    /// Who submitted it.
    public var proposer: Address
    /// What it would do.
    public var content: ProposalContentView
    /// `deposit_period`, `voting`, `passed`, `rejected` or `failed`.
    public var status: ProposalStatus
    /// The height it was submitted at.
    public var submitHeight: Height
    /// The last height deposits are accepted at in the deposit period.
    public var depositEndHeight: Height
    /// The height at whose end votes are tallied (0 until voting starts).
    public var votingEndHeight: Height
    /// The total deposit.
    public var totalDeposit: Amount
    /// The deposits, by depositor address.
    public var deposits: [DepositView]
    /// The final tally, once tallied.
    public var tally: TallyView?
    /// Why the proposal was rejected, or why executing it failed (the words of the state's failure code).
    public var failureReason: String?

    private enum CodingKeys: String, CodingKey {
        case id, proposer, content, status, deposits, tally
        case submitHeight = "submit_height", depositEndHeight = "deposit_end_height"
        case votingEndHeight = "voting_end_height", totalDeposit = "total_deposit", failureReason = "failure_reason"
    }

    /// The view of `proposal`.
    public init(_ proposal: Proposal) {
        self.id = proposal.id
        self.proposer = proposal.proposer
        self.content = ProposalContentView(proposal.content)
        self.status = proposal.status
        self.submitHeight = proposal.submitHeight
        self.depositEndHeight = proposal.depositEndHeight
        self.votingEndHeight = proposal.votingEndHeight
        self.totalDeposit = proposal.totalDeposit
        self.deposits = proposal.deposits.sorted { $0.key < $1.key }.map { DepositView(depositor: $0.key, amount: $0.value) }
        self.tally = proposal.tally.map(TallyView.init)
        self.failureReason = proposal.failure?.description
    }
}

/// Stake-weighted vote totals.
public struct TallyView: Codable, Sendable, Hashable {
    /// Power that voted yes.
    public var yes: Amount
    /// Power that voted no.
    public var no: Amount
    /// Power that abstained.
    public var abstain: Amount
    /// Power that voted no with veto.
    public var veto: Amount

    /// The view of `tally`.
    public init(_ tally: TallyResult) {
        self.yes = tally.yes
        self.no = tally.no
        self.abstain = tally.abstain
        self.veto = tally.noWithVeto
    }
}

/// Every proposal at a height, by identifier.
public struct ProposalsView: Codable, Sendable, Hashable {
    /// The committed height.
    public var height: Height
    /// The proposals.
    public var proposals: [ProposalView]

    /// The proposals of `state` at `height`.
    public init(state: LedgerState, height: Height) {
        self.height = height
        self.proposals = state.proposals.values.sorted { $0.id < $1.id }.map(ProposalView.init)
    }
}
