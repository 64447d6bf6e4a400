// One round of a training task: who was selected, what they committed and revealed, how it was judged and paid.

public import DeAICore

/// How a round ended.
public enum RoundResult: String, Sendable, Hashable, Codable {
    /// Still running.
    case pending
    /// Evaluators holding more than 2/3 of evaluation stake attested one aggregate: a new model version.
    case newVersion = "new_version"
    /// No selected trainer revealed an update in time.
    case noUpdates = "no_updates"
    /// Fewer evaluators than the task's minimum revealed scores in time.
    case noScores = "no_scores"
    /// Fewer updates than the task's minimum were accepted: the parent carries over.
    case tooFewAccepted = "too_few_accepted"
    /// The attestation phase ended without a 2/3 agreement: the parent carries over.
    case noQuorum = "no_quorum"
    /// Evaluators measured the agreed aggregate worse than its parent beyond the task's tolerance: the parent
    /// carries over and the round is not paid.
    case regression
}

/// One round of a task, recorded on chain with everything needed to audit it.
public struct TrainingRound: Sendable, Hashable, Codable {
    /// The task.
    public var taskID: UInt64
    /// The round number, from 1.
    public var number: UInt32
    /// The height of the block at whose end the round opened.
    public var openedHeight: Height
    /// The model the round trains from.
    public var baseModel: SHA256Digest
    /// The version number of the base model.
    public var baseVersion: UInt32
    /// The base model's parent in the lineage when the previous round made the base model, else `nil` (the
    /// initial model, or a round after one that left the model in place): with the base model, what a server
    /// optimizer's momentum needs.
    public var baseParent: SHA256Digest?
    /// The trainers selected for the round, sorted by address.
    public var selected: [Address]
    /// In a task with ``TaskSpec/sealedUpdates``: the sealing keys of its active evaluators when the round opened,
    /// sorted. Every update of the round is sealed to exactly these; evaluators read a blob sealed to another set
    /// as invalid. Empty in a task without sealed updates.
    public var sealingKeys: [SealingPublicKey]
    /// The selected trainers' update commitments, sorted by trainer address.
    public var updateCommitments: [Commitment]
    /// The revealed updates, sorted by contributor address: the order of scores and of aggregation.
    public var updates: [UpdateSubmission]
    /// Trainers whose revealed blob repeated one already revealed in this task, sorted by address: no update of
    /// theirs is kept (a replay earns nothing).
    public var copies: [Address]
    /// The evaluators' score commitments, sorted by evaluator address.
    public var scoreCommitments: [Commitment]
    /// Every revealed set of assessments, sorted by evaluator address.
    public var scores: [EvaluatorScores]
    /// The weight of each revealed set of scores in the round's medians, in the order of ``scores``: the
    /// evaluator's stake, the largest capped below half of all weight. Set when the scores are judged.
    public var weights: [Amount]
    /// Members that committed and did not reveal in time, sorted by address; each forfeited the task's reveal
    /// deposit.
    public var forfeited: [Address]
    /// One verdict per update once scores were revealed; empty before.
    public var verdicts: [UpdateVerdict]
    /// What evaluators were paid, sorted by evaluator address, once the round closed.
    public var evaluatorPayouts: [EvaluatorPayout]
    /// Every attestation, sorted by evaluator address.
    public var attestations: [ModelAttestation]
    /// The most the round could pay: the escrow divided by the rounds left when it closed.
    public var budget: Amount
    /// The stake-weighted median of the agreed attesters' improvements, in micro-nats (0 when no model was
    /// agreed).
    public var improvement: Int64
    /// The panel's standard error of ``improvement``, in micro-nats: the stake-weighted median of the agreed
    /// attesters' standard errors over the square root of their number (``RoundSettlement/panelError(_:attesters:)``).
    public var improvementError: Int64
    /// What the round paid in all: the sum of its rewards. The round earned the task's rate per micro-nat times
    /// ``improvement``, at most ``budget``; integer division and a contributors' part with no positive score to
    /// pay keep what was not paid in escrow.
    public var earned: Amount
    /// How the round ended.
    public var result: RoundResult
    /// The new model's hash when ``result`` is ``RoundResult/newVersion``.
    public var resultModel: SHA256Digest?

    /// A round that has just opened.
    public init(
        taskID: UInt64, number: UInt32, openedHeight: Height, baseModel: SHA256Digest, baseVersion: UInt32,
        baseParent: SHA256Digest? = nil, selected: [Address], sealingKeys: [SealingPublicKey] = []
    ) {
        self.baseParent = baseParent
        self.sealingKeys = sealingKeys
        self.taskID = taskID
        self.number = number
        self.openedHeight = openedHeight
        self.baseModel = baseModel
        self.baseVersion = baseVersion
        self.selected = selected
        self.updateCommitments = []
        self.updates = []
        self.copies = []
        self.scoreCommitments = []
        self.scores = []
        self.weights = []
        self.forfeited = []
        self.verdicts = []
        self.evaluatorPayouts = []
        self.attestations = []
        self.budget = 0
        self.improvement = 0
        self.improvementError = 0
        self.earned = 0
        self.result = .pending
        self.resultModel = nil
    }

    /// The accepted updates, in update order.
    public var acceptedUpdates: [UpdateSubmission] {
        zip(self.updates, self.verdicts).filter { $0.1.accepted }.map(\.0)
    }
}

// MARK: - Canonical encodings

extension RoundResult {
    var tag: UInt8 {
        switch self {
        case .pending: 1
        case .newVersion: 2
        case .noUpdates: 3
        case .noScores: 4
        case .tooFewAccepted: 5
        case .noQuorum: 6
        case .regression: 7
        }
    }

    init(tag: UInt8, offset: Int) throws(CodecError) {
        switch tag {
        case 1: self = .pending
        case 2: self = .newVersion
        case 3: self = .noUpdates
        case 4: self = .noScores
        case 5: self = .tooFewAccepted
        case 6: self = .noQuorum
        case 7: self = .regression
        default: throw .unknownTag(offset: offset, tag: tag, type: "RoundResult")
        }
    }
}

extension TrainingRound: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.taskID)
        encoder.encode(self.number)
        encoder.encode(self.openedHeight)
        encoder.encode(self.baseModel)
        encoder.encode(self.baseVersion)
        encoder.encode(self.baseParent)
        encoder.encode(self.selected)
        encoder.encode(self.updateCommitments)
        encoder.encode(self.updates)
        encoder.encode(self.copies)
        encoder.encode(self.scoreCommitments)
        encoder.encode(self.scores)
        encoder.encode(self.weights)
        encoder.encode(self.forfeited)
        encoder.encode(self.verdicts)
        encoder.encode(self.evaluatorPayouts)
        encoder.encode(self.attestations)
        encoder.encode(self.budget)
        encoder.encode(self.improvement)
        encoder.encode(self.improvementError)
        encoder.encode(self.earned)
        encoder.encode(self.result.tag)
        encoder.encode(self.resultModel)
        encoder.encode(self.sealingKeys)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let limit = Int(TaskSpec.Limits.participantsPerRound)
        self.taskID = try decoder.decodeUInt64()
        self.number = try decoder.decodeUInt32()
        self.openedHeight = try decoder.decodeUInt64()
        self.baseModel = try decoder.decode(SHA256Digest.self)
        self.baseVersion = try decoder.decodeUInt32()
        self.baseParent = try decoder.decodeOptional(SHA256Digest.self)
        self.selected = try decoder.decodeArray(of: Address.self, maxCount: limit)
        self.updateCommitments = try decoder.decodeArray(of: Commitment.self, maxCount: limit)
        self.updates = try decoder.decodeArray(of: UpdateSubmission.self, maxCount: limit)
        self.copies = try decoder.decodeArray(of: Address.self, maxCount: limit)
        self.scoreCommitments = try decoder.decodeArray(of: Commitment.self)
        self.scores = try decoder.decodeArray(of: EvaluatorScores.self)
        self.weights = try decoder.decodeArray(of: UInt64.self)
        self.forfeited = try decoder.decodeArray(of: Address.self)
        self.verdicts = try decoder.decodeArray(of: UpdateVerdict.self, maxCount: limit)
        self.evaluatorPayouts = try decoder.decodeArray(of: EvaluatorPayout.self)
        self.attestations = try decoder.decodeArray(of: ModelAttestation.self)
        self.budget = try decoder.decodeUInt64()
        self.improvement = try decoder.decode(Int64.self)
        self.improvementError = try decoder.decode(Int64.self)
        self.earned = try decoder.decodeUInt64()
        self.result = try decoder.decodeTagged(RoundResult.init(tag:offset:))
        self.resultModel = try decoder.decodeOptional(SHA256Digest.self)
        self.sealingKeys = try decoder.decodeArray(of: SealingPublicKey.self, maxCount: SealedBlob.recipientLimit)
    }
}
