// API: a transaction's payload in JSON.

public import DeAICore
public import Ledger

/// What a transaction does: `type` names the action (``Ledger/Payload/kind``), and only that action's fields are
/// present.
///
/// ```json
/// {"type": "transfer", "to": "deai1…", "amount": 250}
/// {"type": "vote", "proposal_id": 3, "option": "yes"}
/// {"type": "submit_update", "task_id": 1, "round": 2, "blob": "9f86…", "sample_count": 120}
/// ```
public struct PayloadView: Codable, Sendable, Hashable {
    /// The action: `transfer`, `create_validator`, `stake`, `unstake`, `delegate`, `undelegate`, `submit_proposal`,
    /// `deposit`, `vote`, `create_task`, `join_task`, `leave_task`, `submit_update`, `submit_scores` or
    /// `attest_model`.
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
    /// A posted task's terms.
    public var spec: TaskSpecView?
    /// The task joined, left, or submitted to.
    public var taskID: UInt64?
    /// The role a member joins as: `trainer` or `evaluator`.
    public var role: TaskRole?
    /// The stake a member joins with.
    public var stake: Amount?
    /// The round an update, scores or an attestation is for.
    public var round: UInt32?
    /// An update's blob hash.
    public var blob: SHA256Digest?
    /// The number of samples behind an update.
    public var sampleCount: UInt64?
    /// An evaluator's scores, one per update in the round's update order, in micro-units.
    public var scores: [Int64]?
    /// The attested model's blob hash.
    public var model: SHA256Digest?
    /// The attested model's accuracy on the evaluator's held-out data, in basis points.
    public var metricBasisPoints: UInt16?

    private enum CodingKeys: String, CodingKey {
        case type, to, amount, validator, moniker, proposal, option
        case consensusKey = "consensus_key", commissionBasisPoints = "commission_basis_points"
        case proposalID = "proposal_id"
        case spec, role, stake, round, blob, scores, model
        case taskID = "task_id", sampleCount = "sample_count", metricBasisPoints = "metric_basis_points"
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
        case .createTask(let spec):
            self.spec = TaskSpecView(spec)
        case .joinTask(let taskID, let role, let stake):
            self.taskID = taskID
            self.role = role
            self.stake = stake
        case .leaveTask(let taskID):
            self.taskID = taskID
        case .submitUpdate(let taskID, let round, let blob, let sampleCount):
            self.taskID = taskID
            self.round = round
            self.blob = blob
            self.sampleCount = sampleCount
        case .submitScores(let taskID, let round, let scores):
            self.taskID = taskID
            self.round = round
            self.scores = scores
        case .attestModel(let taskID, let round, let model, let metric):
            self.taskID = taskID
            self.round = round
            self.model = model
            self.metricBasisPoints = metric
        }
    }
}
