// APITypes: a transaction's payload in JSON.

public import DeAICore
public import Ledger

/// What a transaction does: `type` names the action (``Ledger/Payload/kind``), and only that action's fields are
/// present.
///
/// ```json
/// {"type": "transfer", "to": "deai1…", "amount": 250}
/// {"type": "vote", "proposal_id": 3, "option": "yes"}
/// {"type": "commit_update", "task_id": 1, "round": 2, "commitment": "5be0…"}
/// {"type": "reveal_update", "task_id": 1, "round": 2, "blob": "9f86…", "sample_count": 120, "salt": "a1c4…"}
/// ```
public struct PayloadView: Codable, Sendable, Hashable {
    /// The action: `transfer`, `create_validator`, `stake`, `unstake`, `delegate`, `undelegate`, `submit_proposal`,
    /// `deposit`, `vote`, `create_task`, `join_task`, `leave_task`, `commit_update`, `reveal_update`, `commit_scores`,
    /// `reveal_scores`, `attest_model`, `report_double_sign`, `bond_server`, `unbond_server`, `open_channel`,
    /// `fund_channel`, `claim_channel`, `close_channel` or `report_forged_answer`.
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
    /// The task joined, left, or committed or revealed to.
    public var taskID: UInt64?
    /// The role a member joins as: `trainer` or `evaluator`.
    public var role: TaskRole?
    /// The stake a member joins with.
    public var stake: Amount?
    /// The hash of the held-out data an evaluator joins with (optional for a trainer).
    public var dataCommitment: SHA256Digest?
    /// `join_task`: the evaluator's key for sealed updates.
    public var sealingKey: SealingPublicKey?
    /// The round a commitment, a reveal or an attestation is for.
    public var round: UInt32?
    /// The hash a trainer commits to its update with, or an evaluator to its assessments.
    public var commitment: SHA256Digest?
    /// A revealed update's blob hash.
    public var blob: SHA256Digest?
    /// The number of samples a trainer says its revealed update trained on: shown, never weighed.
    public var sampleCount: UInt64?
    /// An evaluator's revealed assessments, one per update in the round's update order.
    public var assessments: [AssessmentView]?
    /// The secret 32 bytes that open a commitment, revealed with it.
    public var salt: HexBytes?
    /// The attested model's blob hash.
    public var model: SHA256Digest?
    /// The attested model's accuracy on the evaluator's held-out data, in basis points.
    public var metricBasisPoints: UInt16?
    /// How much lower the attested model's validation loss is than its parent's, in micro-nats (negative: worse).
    public var improvement: Int64?
    /// The standard error of ``improvement``, in micro-nats.
    public var improvementError: Int64?
    /// The two conflicting votes a double-sign report proves (the validator is in ``validator``).
    public var votes: [VoteView]?
    /// The server a channel is opened to.
    public var server: Address?
    /// The model version a channel pays for.
    public var version: UInt32?
    /// The price per request a channel is opened at.
    public var pricePerRow: Amount?
    /// The height until which a channel's server may claim.
    public var expiresAt: Height?
    /// The channel funded, claimed or closed.
    public var channelID: UInt64?
    /// The client's signature on a claimed voucher (whose cumulative amount is in ``amount``).
    public var signature: Signature?
    /// The receipt a forgery report proves forged.
    public var receipt: AnswerReceiptView?
    /// The number of input rows a forgery report carries.
    public var rows: Int?

    private enum CodingKeys: String, CodingKey {
        case type, to, amount, validator, moniker, proposal, option
        case consensusKey = "consensus_key", commissionBasisPoints = "commission_basis_points"
        case proposalID = "proposal_id"
        case spec, role, stake, round, commitment, blob, assessments, salt, model, improvement
        case taskID = "task_id", dataCommitment = "data_commitment", sealingKey = "sealing_key", sampleCount = "sample_count"
        case metricBasisPoints = "metric_basis_points", improvementError = "improvement_error"
        case votes, server, version, signature, receipt, rows
        case pricePerRow = "price_per_row", expiresAt = "expires_at", channelID = "channel_id"
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
        case .stake(let amount), .unstake(let amount), .bondServer(let amount), .unbondServer(let amount):
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
        case .reportDoubleSign(let evidence):
            self.validator = evidence.validator
            self.votes = [VoteView(evidence.first), VoteView(evidence.second)]
        case .createTask(let spec):
            self.spec = TaskSpecView(spec)
        case .joinTask(let taskID, let role, let stake, let dataCommitment, let sealingKey):
            self.taskID = taskID
            self.role = role
            self.stake = stake
            self.dataCommitment = dataCommitment
            self.sealingKey = sealingKey
        case .leaveTask(let taskID):
            self.taskID = taskID
        case .commitUpdate(let taskID, let round, let commitment), .commitScores(let taskID, let round, let commitment):
            self.taskID = taskID
            self.round = round
            self.commitment = commitment
        case .revealUpdate(let taskID, let round, let blob, let sampleCount, let salt):
            self.taskID = taskID
            self.round = round
            self.blob = blob
            self.sampleCount = sampleCount
            self.salt = HexBytes(salt)
        case .revealScores(let taskID, let round, let assessments, let salt):
            self.taskID = taskID
            self.round = round
            self.assessments = assessments.map(AssessmentView.init)
            self.salt = HexBytes(salt)
        case .attestModel(let taskID, let round, let model, let metric, let improvement, let error):
            self.taskID = taskID
            self.round = round
            self.model = model
            self.metricBasisPoints = metric
            self.improvement = improvement
            self.improvementError = error
        case .openChannel(let server, let taskID, let version, let deposit, let price, let expiresAt):
            self.server = server
            self.taskID = taskID
            self.version = version
            self.amount = deposit
            self.pricePerRow = price
            self.expiresAt = expiresAt
        case .fundChannel(let channelID, let amount, let expiresAt):
            self.channelID = channelID
            self.amount = amount
            self.expiresAt = expiresAt
        case .claimChannel(let voucher):
            self.channelID = voucher.channelID
            self.amount = voucher.amount
            self.signature = voucher.signature
        case .closeChannel(let channelID):
            self.channelID = channelID
        case .reportForgedAnswer(let evidence):
            self.receipt = AnswerReceiptView(evidence.receipt)
            self.server = evidence.receipt.server.address
            self.rows = evidence.inputs.rows.count
        }
    }
}

/// A consensus vote with its signature, as evidence of a double vote carries it.
public struct VoteView: Codable, Sendable, Hashable {
    /// `prevote` or `precommit`.
    public var kind: String
    /// The chain voted on.
    public var chainID: String
    /// The height.
    public var height: Height
    /// The round.
    public var round: UInt32
    /// The block voted for; absent for a vote for no block.
    public var blockHash: SHA256Digest?
    /// The voting validator's operator address.
    public var validator: Address
    /// Its consensus key's signature of the vote.
    public var signature: Signature

    private enum CodingKeys: String, CodingKey {
        case kind, height, round, validator, signature
        case chainID = "chain_id", blockHash = "block_hash"
    }

    /// The view of `signed`.
    public init(_ signed: SignedVote) {
        self.kind = signed.vote.kind == .prevote ? "prevote" : "precommit"
        self.chainID = signed.vote.chainID
        self.height = signed.vote.height
        self.round = signed.vote.round
        self.blockHash = signed.vote.blockHash
        self.validator = signed.vote.validator
        self.signature = signed.signature
    }
}
