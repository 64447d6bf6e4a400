// APITypes: training tasks in JSON.

public import DeAICore
public import Ledger

/// A task in a list: who posted it, where it stands, and what it has paid out.
public struct TaskSummaryView: Codable, Sendable, Hashable {
    /// The task's identifier.
    public var id: UInt64
    /// The account that posted and funds it.
    public var sponsor: Address
    /// Its name.
    public var name: String
    /// `enrolling`, `running` or `completed`.
    public var status: TaskStatus
    /// The current round, from 1; 0 while enrolling.
    public var round: UInt32
    /// The current round's phase (meaningful while running): `commit_updates`, `reveal_updates`, `commit_scores`,
    /// `reveal_scores` or `attesting`.
    public var phase: RoundPhase
    /// The height at which the current phase ends at the latest.
    public var phaseEndHeight: Height
    /// The current model version; 0 is the initial model.
    public var version: UInt32
    /// The blob hash of the current model.
    public var model: SHA256Digest
    /// Reward tokens still in escrow.
    public var escrow: Amount
    /// All rewards paid so far.
    public var totalRewarded: Amount
    /// All stake slashed so far.
    public var totalSlashed: Amount

    private enum CodingKeys: String, CodingKey {
        case id, sponsor, name, status, round, phase, version, model, escrow
        case phaseEndHeight = "phase_end_height", totalRewarded = "total_rewarded", totalSlashed = "total_slashed"
    }

    /// The summary of `task`.
    public init(_ task: TrainingTask) {
        self.id = task.id
        self.sponsor = task.sponsor
        self.name = task.spec.name
        self.status = task.status
        self.round = task.round
        self.phase = task.phase
        self.phaseEndHeight = task.phaseEndHeight
        self.version = task.version
        self.model = task.model
        self.escrow = task.escrow
        self.totalRewarded = task.totalRewarded
        self.totalSlashed = task.totalSlashed
    }
}

/// Every task at a height, by identifier.
public struct TasksView: Codable, Sendable, Hashable {
    /// The committed height.
    public var height: Height
    /// The tasks.
    public var tasks: [TaskSummaryView]

    /// The tasks of `state` at `height`.
    public init(state: LedgerState, height: Height) {
        self.height = height
        self.tasks = state.tasks.values.sorted { $0.id < $1.id }.map(TaskSummaryView.init)
    }
}

/// A trainer's or evaluator's membership in a task.
public struct TaskMemberView: Codable, Sendable, Hashable {
    /// The member's address.
    public var address: Address
    /// `trainer` or `evaluator`.
    public var role: TaskRole
    /// Stake the task holds for it.
    public var stake: Amount
    /// The height at which it joined (last).
    public var joinedHeight: Height
    /// Whether it is a member now.
    public var active: Bool
    /// Rewards received from the task.
    public var earned: Amount
    /// Stake slashed or forfeited.
    public var slashed: Amount
    /// The hash of the held-out data it joined with: an evaluator's commitment, so what it measured on can be
    /// audited later. Absent when the member committed to none.
    public var dataCommitment: SHA256Digest?
    /// A trainer's privacy spent in a task with differential privacy: ε at the task's δ, from its cumulative RDP
    /// on the chain (rounded up to millionths); absent in a task without DP and for evaluators.
    public var epsilonSpent: Double?
    /// An evaluator's key for sealed updates, when it registered one.
    public var sealingKey: SealingPublicKey?

    private enum CodingKeys: String, CodingKey {
        case address, role, stake, active, earned, slashed, joinedHeight = "joined_height"
        case dataCommitment = "data_commitment", epsilonSpent = "epsilon_spent", sealingKey = "sealing_key"
    }

    /// The view of `member`, the membership of `address` in a task with privacy terms `privacy`.
    public init(address: Address, member: TaskMember, privacy: PrivacyTerms?) {
        self.address = address
        self.role = member.role
        self.stake = member.stake
        self.joinedHeight = member.joinedHeight
        self.active = member.active
        self.earned = member.earned
        self.slashed = member.slashed
        self.dataCommitment = member.dataCommitment
        self.sealingKey = member.sealingKey
        self.epsilonSpent =
            member.role == .trainer ? privacy.map { Double($0.epsilonMillionths(spent: member.privacySpent)) / 1e6 } : nil
    }
}

/// A task in full: where it stands (its ``TaskSummaryView`` fields, at the same level of the JSON), its terms and
/// its members, and with `?prove=true` a proof of its state entry (`StateKey.task(id:)`, whose value decodes with
/// `TrainingTask(canonicalEncoding:)`). The summary's fields read as the view's own: `view.name`, `view.round`.
@dynamicMemberLookup
public struct TaskView: Codable, Sendable, Hashable {
    /// Where the task stands: identifier, sponsor, name, status, round, phase, model, escrow and totals.
    public var summary: TaskSummaryView
    /// The height of the block that posted it.
    public var createdHeight: Height
    /// Its terms.
    public var spec: TaskSpecView
    /// Its members, present and past, by address.
    public var members: [TaskMemberView]
    /// The committed height the task is read at.
    public var height: Height
    /// The proof of the task's entry, when asked for. It does not cover ``members``: each membership is an entry
    /// of its own (`StateKey.taskMember(taskID:member:)`).
    public var proof: AccountProofView?

    private enum CodingKeys: String, CodingKey {
        case spec, members, height, proof, createdHeight = "created_height"
    }

    /// The view of `task` in `state` at `height`, with `proof` when given.
    public init(_ task: TrainingTask, state: LedgerState, height: Height, proof: AccountProofView?) {
        self.summary = TaskSummaryView(task)
        self.createdHeight = task.createdHeight
        self.spec = TaskSpecView(task.spec)
        self.members = (state.taskMembers[task.id] ?? [:]).sorted { $0.key < $1.key }.map {
            TaskMemberView(address: $0.key, member: $0.value, privacy: task.spec.privacy)
        }
        self.height = height
        self.proof = proof
    }

    /// A field of the summary, read as the view's own.
    public subscript<Value>(dynamicMember field: KeyPath<TaskSummaryView, Value>) -> Value {
        self.summary[keyPath: field]
    }

    public init(from decoder: any Decoder) throws {
        self.summary = try TaskSummaryView(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.createdHeight = try container.decode(Height.self, forKey: .createdHeight)
        self.spec = try container.decode(TaskSpecView.self, forKey: .spec)
        self.members = try container.decode([TaskMemberView].self, forKey: .members)
        self.height = try container.decode(Height.self, forKey: .height)
        self.proof = try container.decodeIfPresent(AccountProofView.self, forKey: .proof)
    }

    public func encode(to encoder: any Encoder) throws {
        try self.summary.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.createdHeight, forKey: .createdHeight)
        try container.encode(self.spec, forKey: .spec)
        try container.encode(self.members, forKey: .members)
        try container.encode(self.height, forKey: .height)
        try container.encodeIfPresent(self.proof, forKey: .proof)
    }
}
