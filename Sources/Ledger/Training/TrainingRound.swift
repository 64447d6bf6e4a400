// One round of a training task: who was selected, what they submitted, how it was scored and settled.

public import DeAICore

/// A trainer's update in a round: a blob of weight deltas and the number of samples behind it.
public struct UpdateSubmission: Sendable, Hashable, Codable {
    /// The trainer.
    public var contributor: Address
    /// The blob hash of the encoded update.
    public var blob: SHA256Digest
    /// How many samples the trainer says it trained on: the update's weight in the aggregate.
    public var sampleCount: UInt64
    /// The height of the block that carried it.
    public var height: Height

    /// A submission with every field given.
    public init(contributor: Address, blob: SHA256Digest, sampleCount: UInt64, height: Height) {
        self.contributor = contributor
        self.blob = blob
        self.sampleCount = sampleCount
        self.height = height
    }
}

/// One evaluator's scores for a round, one per update in the round's update order.
public struct EvaluatorScores: Sendable, Hashable, Codable {
    /// The evaluator.
    public var evaluator: Address
    /// Scores in micro-units: negative harmful, zero worthless, positive useful.
    public var scores: [Int64]

    /// Scores with every field given.
    public init(evaluator: Address, scores: [Int64]) {
        self.evaluator = evaluator
        self.scores = scores
    }
}

/// One evaluator's attestation of the round's aggregate.
public struct ModelAttestation: Sendable, Hashable, Codable {
    /// The evaluator.
    public var evaluator: Address
    /// The blob hash of the next model as the evaluator computed it.
    public var model: SHA256Digest
    /// The next model's accuracy on the evaluator's held-out data, in basis points.
    public var metricBasisPoints: UInt16

    /// An attestation with every field given.
    public init(evaluator: Address, model: SHA256Digest, metricBasisPoints: UInt16) {
        self.evaluator = evaluator
        self.model = model
        self.metricBasisPoints = metricBasisPoints
    }
}

/// How an update was judged when the scoring phase closed.
public struct UpdateVerdict: Sendable, Hashable, Codable {
    /// The stake-weighted median of the evaluators' scores.
    public var consensusScore: Int64
    /// Whether the update is in the aggregate (consensus score above zero).
    public var accepted: Bool
    /// Whether it was judged harmful (below the task's harmful score) and its contributor slashed.
    public var harmful: Bool
    /// Tokens paid to the contributor for it.
    public var reward: Amount
    /// Stake slashed from the contributor for it.
    public var slashed: Amount

    /// A verdict with every field given.
    public init(consensusScore: Int64, accepted: Bool, harmful: Bool, reward: Amount, slashed: Amount) {
        self.consensusScore = consensusScore
        self.accepted = accepted
        self.harmful = harmful
        self.reward = reward
        self.slashed = slashed
    }
}

/// What an evaluator was paid for a round.
public struct EvaluatorPayout: Sendable, Hashable, Codable {
    /// The evaluator.
    public var evaluator: Address
    /// Share of the evaluator's scores on the same side of zero as the consensus (harmful, worthless or
    /// useful), in basis points.
    public var agreementBasisPoints: UInt16
    /// Tokens paid.
    public var reward: Amount

    /// A payout with every field given.
    public init(evaluator: Address, agreementBasisPoints: UInt16, reward: Amount) {
        self.evaluator = evaluator
        self.agreementBasisPoints = agreementBasisPoints
        self.reward = reward
    }
}

/// How a round ended.
public enum RoundResult: String, Sendable, Hashable, Codable {
    /// Still running.
    case pending
    /// Evaluators holding more than 2/3 of evaluation stake attested one aggregate: a new model version.
    case newVersion = "new_version"
    /// No selected trainer submitted an update in time.
    case noUpdates = "no_updates"
    /// No evaluator scored in time.
    case noScores = "no_scores"
    /// No update was accepted: the model stays as it was.
    case noneAccepted = "none_accepted"
    /// The attestation phase ended without a 2/3 agreement: the model stays as it was.
    case noQuorum = "no_quorum"
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
    /// The trainers selected for the round, sorted by address.
    public var selected: [Address]
    /// The updates, sorted by contributor address: the order of scores and of aggregation.
    public var updates: [UpdateSubmission]
    /// Selected trainers whose submission repeated a blob already posted this round, sorted by address: no update
    /// of theirs is kept (a replay earns nothing), and they count as having acted, so the round does not wait for
    /// them until its deadline.
    public var copies: [Address]
    /// Every evaluator's scores, sorted by evaluator address.
    public var scores: [EvaluatorScores]
    /// One verdict per update once scoring closed; empty before.
    public var verdicts: [UpdateVerdict]
    /// What evaluators were paid, sorted by evaluator address.
    public var evaluatorPayouts: [EvaluatorPayout]
    /// Every attestation, sorted by evaluator address.
    public var attestations: [ModelAttestation]
    /// How the round ended.
    public var result: RoundResult
    /// The new model's hash when ``result`` is ``RoundResult/newVersion``.
    public var resultModel: SHA256Digest?

    /// A round that has just opened.
    public init(taskID: UInt64, number: UInt32, openedHeight: Height, baseModel: SHA256Digest, baseVersion: UInt32, selected: [Address]) {
        self.taskID = taskID
        self.number = number
        self.openedHeight = openedHeight
        self.baseModel = baseModel
        self.baseVersion = baseVersion
        self.selected = selected
        self.updates = []
        self.copies = []
        self.scores = []
        self.verdicts = []
        self.evaluatorPayouts = []
        self.attestations = []
        self.result = .pending
        self.resultModel = nil
    }

    /// The accepted updates, in update order.
    public var acceptedUpdates: [UpdateSubmission] {
        zip(self.updates, self.verdicts).filter { $0.1.accepted }.map(\.0)
    }
}

// MARK: - Canonical encodings

extension UpdateSubmission: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.contributor)
        encoder.encode(self.blob)
        encoder.encode(self.sampleCount)
        encoder.encode(self.height)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.contributor = try decoder.decode(Address.self)
        self.blob = try decoder.decode(SHA256Digest.self)
        self.sampleCount = try decoder.decodeUInt64()
        self.height = try decoder.decodeUInt64()
    }
}

extension EvaluatorScores: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.evaluator)
        encoder.encode(self.scores)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.evaluator = try decoder.decode(Address.self)
        self.scores = try decoder.decodeArray(of: Int64.self, maxCount: Int(TaskSpec.Limits.participantsPerRound))
    }
}

extension ModelAttestation: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.evaluator)
        encoder.encode(self.model)
        encoder.encode(self.metricBasisPoints)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.evaluator = try decoder.decode(Address.self)
        self.model = try decoder.decode(SHA256Digest.self)
        self.metricBasisPoints = try decoder.decodeUInt16()
    }
}

extension UpdateVerdict: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.consensusScore)
        encoder.encode(self.accepted)
        encoder.encode(self.harmful)
        encoder.encode(self.reward)
        encoder.encode(self.slashed)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.consensusScore = try decoder.decode(Int64.self)
        self.accepted = try decoder.decodeBool()
        self.harmful = try decoder.decodeBool()
        self.reward = try decoder.decodeUInt64()
        self.slashed = try decoder.decodeUInt64()
    }
}

extension EvaluatorPayout: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.evaluator)
        encoder.encode(self.agreementBasisPoints)
        encoder.encode(self.reward)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.evaluator = try decoder.decode(Address.self)
        self.agreementBasisPoints = try decoder.decodeUInt16()
        self.reward = try decoder.decodeUInt64()
    }
}

extension RoundResult {
    var tag: UInt8 {
        switch self {
        case .pending: 1
        case .newVersion: 2
        case .noUpdates: 3
        case .noScores: 4
        case .noneAccepted: 5
        case .noQuorum: 6
        }
    }

    init(tag: UInt8, offset: Int) throws(CodecError) {
        switch tag {
        case 1: self = .pending
        case 2: self = .newVersion
        case 3: self = .noUpdates
        case 4: self = .noScores
        case 5: self = .noneAccepted
        case 6: self = .noQuorum
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
        encoder.encode(self.selected)
        encoder.encode(self.updates)
        encoder.encode(self.copies)
        encoder.encode(self.scores)
        encoder.encode(self.verdicts)
        encoder.encode(self.evaluatorPayouts)
        encoder.encode(self.attestations)
        encoder.encode(self.result.tag)
        encoder.encode(self.resultModel)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        let limit = Int(TaskSpec.Limits.participantsPerRound)
        self.taskID = try decoder.decodeUInt64()
        self.number = try decoder.decodeUInt32()
        self.openedHeight = try decoder.decodeUInt64()
        self.baseModel = try decoder.decode(SHA256Digest.self)
        self.baseVersion = try decoder.decodeUInt32()
        self.selected = try decoder.decodeArray(of: Address.self, maxCount: limit)
        self.updates = try decoder.decodeArray(of: UpdateSubmission.self, maxCount: limit)
        self.copies = try decoder.decodeArray(of: Address.self, maxCount: limit)
        self.scores = try decoder.decodeArray(of: EvaluatorScores.self)
        self.verdicts = try decoder.decodeArray(of: UpdateVerdict.self, maxCount: limit)
        self.evaluatorPayouts = try decoder.decodeArray(of: EvaluatorPayout.self)
        self.attestations = try decoder.decodeArray(of: ModelAttestation.self)
        self.result = try decoder.decodeTagged(RoundResult.init(tag:offset:))
        self.resultModel = try decoder.decodeOptional(SHA256Digest.self)
    }
}
