// API: a transaction's payload in JSON.

public import DeAICore
public import Ledger

/// What a transaction does: `type` names the action (``Ledger/Payload/kind``), and only that action's fields are
/// present.
///
/// ```json
/// {"type": "transfer", "to": "deai1…", "amount": 250}
/// {"type": "vote", "proposal_id": 3, "option": "yes"}
/// ```
public struct PayloadView: Codable, Sendable, Hashable {
    /// The action: `transfer`, `create_validator`, `stake`, `unstake`, `delegate`, `undelegate`, `submit_proposal`,
    /// `deposit` or `vote`.
    public var type: String
    /// The recipient of a transfer.
    public var to: Address?
    /// The amount moved, bonded, unbonded or deposited.
    public var amount: Amount?
    /// The validator delegated to or undelegated from.
    public var validator: Address?
    /// A new validator's consensus key.
    public var consensusKey: VerifyingKey?
    /// A new validator's commission, in basis points.
    public var commissionBasisPoints: UInt16?
    /// A new validator's name.
    public var moniker: String?
    /// A submitted proposal's content.
    public var proposal: ProposalContentView?
    /// The proposal deposited on or voted on.
    public var proposalID: UInt64?
    /// A vote's option: `yes`, `no`, `abstain` or `veto`.
    public var option: String?

    private enum CodingKeys: String, CodingKey {
        case type, to, amount, validator, moniker, proposal, option
        case consensusKey = "consensus_key", commissionBasisPoints = "commission_basis_points"
        case proposalID = "proposal_id"
    }

    /// The view of `payload`.
    public init(_ payload: Payload) {
        self.type = payload.kind
        switch payload {
        case .transfer(let recipient, let amount):
            self.to = recipient
            self.amount = amount
        case .createValidator(let consensusKey, let stake, let commission, let moniker):
            self.consensusKey = consensusKey
            self.amount = stake
            self.commissionBasisPoints = commission
            self.moniker = moniker
        case .stake(let amount), .unstake(let amount):
            self.amount = amount
        case .delegate(let validator, let amount), .undelegate(let validator, let amount):
            self.validator = validator
            self.amount = amount
        case .submitProposal(let content, let deposit):
            self.proposal = ProposalContentView(content)
            self.amount = deposit
        case .deposit(let proposalID, let amount):
            self.proposalID = proposalID
            self.amount = amount
        case .vote(let proposalID, let option):
            self.proposalID = proposalID
            self.option = option.name
        }
    }
}
