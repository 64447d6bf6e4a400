// A posted training task and where it stands.

public import DeAICore

/// Where a training task is in its life.
public enum TaskStatus: String, Sendable, Hashable, Codable {
    /// Posted; trainers and evaluators join until round 1 opens.
    case enrolling
    /// Running rounds.
    case running
    /// Every round ran; the escrow's rest went back to the sponsor and members' stakes were returned.
    case completed
}

/// The phase of a task's current round. Each ends at its deadline height, or earlier once everyone it waits
/// for has acted.
///
/// Updates and scores are committed before they are revealed, so that nobody can copy what another posted in the
/// same round: a commitment binds a hash of the content and a secret salt, and the content becomes public only
/// once every commitment is in.
public enum RoundPhase: String, Sendable, Hashable, Codable, CaseIterable {
    /// Selected trainers commit to their updates (``Payload/commitUpdate(taskID:round:commitment:)``).
    case commitUpdates = "commit_updates"
    /// Trainers that committed publish their update blobs and reveal them.
    case revealUpdates = "reveal_updates"
    /// Evaluators measure every revealed update on their held-out data and commit to their assessments.
    case commitScores = "commit_scores"
    /// Evaluators reveal their assessments.
    case revealScores = "reveal_scores"
    /// Evaluators attest the hash of the aggregate of the accepted updates and its measured improvement.
    case attesting
}

/// A federated training task: the sponsor's terms, the escrow left, and the current round.
public struct TrainingTask: Sendable, Hashable, Codable {
    /// The task's identifier, assigned in posting order from 1.
    public var id: UInt64
    /// The account that posted the task and funds its rewards.
    public var sponsor: Address
    /// The terms.
    public var spec: TaskSpec
    /// The height of the block that posted the task.
    public var createdHeight: Height
    /// Where the task is in its life.
    public var status: TaskStatus
    /// Reward tokens still held in escrow.
    public var escrow: Amount
    /// The current round, from 1; 0 while enrolling.
    public var round: UInt32
    /// The current round's phase (meaningful while running).
    public var phase: RoundPhase
    /// The height at which the current phase ends at the latest.
    public var phaseEndHeight: Height
    /// The blob hash of the current global model.
    public var model: SHA256Digest
    /// The current model version: 0 is the initial model.
    public var version: UInt32
    /// All tokens paid out as rewards so far.
    public var totalRewarded: Amount
    /// All stake slashed so far.
    public var totalSlashed: Amount

    /// A freshly posted task.
    public init(id: UInt64, sponsor: Address, spec: TaskSpec, createdHeight: Height) {
        self.id = id
        self.sponsor = sponsor
        self.spec = spec
        self.createdHeight = createdHeight
        self.status = .enrolling
        self.escrow = spec.rewardPool
        self.round = 0
        self.phase = .commitUpdates
        self.phaseEndHeight = 0
        self.model = spec.initialModel
        self.version = 0
        self.totalRewarded = 0
        self.totalSlashed = 0
    }
}

/// What a member of a task does.
public enum TaskRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// A data owner: trains on its private data when selected and submits updates.
    case trainer
    /// Scores updates on its own held-out data and attests aggregates.
    case evaluator
}

/// A trainer's or evaluator's membership in a task.
public struct TaskMember: Sendable, Hashable, Codable {
    /// What the member does.
    public var role: TaskRole
    /// Stake held by the task for this member.
    public var stake: Amount
    /// The height at which it joined (last).
    public var joinedHeight: Height
    /// Whether it is a member now (false once it left or the task completed).
    public var active: Bool
    /// Rewards received from this task so far.
    public var earned: Amount
    /// Stake slashed or forfeited so far.
    public var slashed: Amount
    /// What the member committed to when it joined: for an evaluator, the hash of its held-out data, so that
    /// what it measured on can be audited later.
    public var dataCommitment: SHA256Digest?
    /// A trainer's cumulative Rényi DP in a task with ``TaskSpec/privacy``: nano-nats at each of the terms'
    /// orders, one round's ``PrivacyTerms/roundRDP`` added for every update it revealed. Empty when it spent none.
    public var privacySpent: [UInt64]
    /// An evaluator's key for sealed updates (``TaskSpec/sealedUpdates``): trainers seal each update to the keys
    /// of the task's active evaluators.
    public var sealingKey: SealingPublicKey?

    /// A member with every field given.
    public init(
        role: TaskRole, stake: Amount, joinedHeight: Height, active: Bool = true, earned: Amount = 0, slashed: Amount = 0,
        dataCommitment: SHA256Digest? = nil, privacySpent: [UInt64] = [], sealingKey: SealingPublicKey? = nil
    ) {
        self.sealingKey = sealingKey
        self.dataCommitment = dataCommitment
        self.privacySpent = privacySpent
        self.role = role
        self.stake = stake
        self.joinedHeight = joinedHeight
        self.active = active
        self.earned = earned
        self.slashed = slashed
    }
}

// MARK: - Canonical encodings

extension TaskStatus {
    var tag: UInt8 {
        switch self {
        case .enrolling: 1
        case .running: 2
        case .completed: 3
        }
    }

    init(tag: UInt8, offset: Int) throws(CodecError) {
        switch tag {
        case 1: self = .enrolling
        case 2: self = .running
        case 3: self = .completed
        default: throw .unknownTag(offset: offset, tag: tag, type: "TaskStatus")
        }
    }
}

extension RoundPhase {
    var tag: UInt8 {
        switch self {
        case .commitUpdates: 1
        case .revealUpdates: 2
        case .commitScores: 3
        case .revealScores: 4
        case .attesting: 5
        }
    }

    init(tag: UInt8, offset: Int) throws(CodecError) {
        switch tag {
        case 1: self = .commitUpdates
        case 2: self = .revealUpdates
        case 3: self = .commitScores
        case 4: self = .revealScores
        case 5: self = .attesting
        default: throw .unknownTag(offset: offset, tag: tag, type: "RoundPhase")
        }
    }
}

extension TaskRole {
    /// The frozen canonical tag.
    public var tag: UInt8 {
        switch self {
        case .trainer: 1
        case .evaluator: 2
        }
    }

    init(tag: UInt8, offset: Int) throws(CodecError) {
        switch tag {
        case 1: self = .trainer
        case 2: self = .evaluator
        default: throw .unknownTag(offset: offset, tag: tag, type: "TaskRole")
        }
    }
}

extension CanonicalDecoder {
    /// Reads a one-byte tag and maps it with `make`, which throws for unknown tags.
    mutating func decodeTagged<T>(_ make: (UInt8, Int) throws(CodecError) -> T) throws(CodecError) -> T {
        let offset = self.offset
        return try make(try self.decodeUInt8(), offset)
    }
}

extension TrainingTask: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.id)
        encoder.encode(self.sponsor)
        encoder.encode(self.spec)
        encoder.encode(self.createdHeight)
        encoder.encode(self.status.tag)
        encoder.encode(self.escrow)
        encoder.encode(self.round)
        encoder.encode(self.phase.tag)
        encoder.encode(self.phaseEndHeight)
        encoder.encode(self.model)
        encoder.encode(self.version)
        encoder.encode(self.totalRewarded)
        encoder.encode(self.totalSlashed)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.id = try decoder.decodeUInt64()
        self.sponsor = try decoder.decode(Address.self)
        self.spec = try decoder.decode(TaskSpec.self)
        self.createdHeight = try decoder.decodeUInt64()
        self.status = try decoder.decodeTagged(TaskStatus.init(tag:offset:))
        self.escrow = try decoder.decodeUInt64()
        self.round = try decoder.decodeUInt32()
        self.phase = try decoder.decodeTagged(RoundPhase.init(tag:offset:))
        self.phaseEndHeight = try decoder.decodeUInt64()
        self.model = try decoder.decode(SHA256Digest.self)
        self.version = try decoder.decodeUInt32()
        self.totalRewarded = try decoder.decodeUInt64()
        self.totalSlashed = try decoder.decodeUInt64()
    }
}

extension TaskMember: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.role.tag)
        encoder.encode(self.stake)
        encoder.encode(self.joinedHeight)
        encoder.encode(self.active)
        encoder.encode(self.earned)
        encoder.encode(self.slashed)
        encoder.encode(self.dataCommitment)
        encoder.encode(self.privacySpent)
        encoder.encode(self.sealingKey)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.role = try decoder.decodeTagged(TaskRole.init(tag:offset:))
        self.stake = try decoder.decodeUInt64()
        self.joinedHeight = try decoder.decodeUInt64()
        self.active = try decoder.decodeBool()
        self.earned = try decoder.decodeUInt64()
        self.slashed = try decoder.decodeUInt64()
        self.dataCommitment = try decoder.decodeOptional(SHA256Digest.self)
        self.privacySpent = try decoder.decodeArray(of: UInt64.self, maxCount: PrivacyTerms.Limits.orders)
        self.sealingKey = try decoder.decodeOptional(SealingPublicKey.self)
    }
}
