// The records a round keeps of what its members committed, revealed, measured and were paid.

public import DeAICore

/// A member's commitment in a round: the hash that binds what it will reveal (see ``RoundCommitment``).
public struct Commitment: Sendable, Hashable, Codable {
    /// The trainer or evaluator.
    public var member: Address
    /// The commitment hash.
    public var hash: SHA256Digest

    /// A commitment with every field given.
    public init(member: Address, hash: SHA256Digest) {
        self.member = member
        self.hash = hash
    }
}

/// A trainer's revealed update in a round.
public struct UpdateSubmission: Sendable, Hashable, Codable {
    /// The trainer.
    public var contributor: Address
    /// The blob hash of the encoded update.
    public var blob: SHA256Digest
    /// How many samples the trainer says it trained on. Shown for transparency only: a claim weighs nothing, in
    /// the aggregate or in pay.
    public var sampleCount: UInt64
    /// The height of the block that revealed it.
    public var height: Height
    /// In a task with ``TaskSpec/privacy``: the ε, in millionths, the trainer has spent with this update
    /// revealed (its cumulative RDP converted at the task's δ); `nil` in a task without DP.
    public var epsilonMillionths: UInt64?

    /// A submission with every field given.
    public init(
        contributor: Address, blob: SHA256Digest, sampleCount: UInt64, height: Height, epsilonMillionths: UInt64? = nil
    ) {
        self.contributor = contributor
        self.blob = blob
        self.sampleCount = sampleCount
        self.height = height
        self.epsilonMillionths = epsilonMillionths
    }
}

/// One evaluator's measurement of one update, on its own held-out data. All figures are micro-nats of
/// validation loss.
public struct UpdateAssessment: Sendable, Hashable, Codable {
    /// The update's value: its Shapley value among the updates the evaluator found clean, 0 when excluded.
    public var score: Int64
    /// The mean increase of the per-example validation loss of the round's aggregate with the update over the
    /// aggregate without it: positive when the update makes the model worse.
    public var harm: Int64
    /// The standard error of ``harm`` over the evaluator's examples.
    public var harmError: Int64
    /// Whether the evaluator's anomaly checks (norm, direction, copy) exclude the update from the aggregate.
    public var excluded: Bool

    /// An assessment with every field given.
    public init(score: Int64, harm: Int64, harmError: Int64, excluded: Bool) {
        self.score = score
        self.harm = harm
        self.harmError = harmError
        self.excluded = excluded
    }

    /// The largest magnitude of any figure of an assessment, in micro-nats.
    public static let limit: Int64 = 1_000_000_000

    /// The evidence of harm this assessment gives at a confidence of `hundredths` / 100 standard errors:
    /// `harm − harmError × hundredths / 100`, rounded toward zero.
    public func evidence(confidenceHundredths hundredths: UInt16) -> Int64 {
        self.harm - self.harmError * Int64(hundredths) / 100
    }
}

/// One evaluator's revealed assessments for a round, one per update in the round's update order.
public struct EvaluatorScores: Sendable, Hashable, Codable {
    /// The evaluator.
    public var evaluator: Address
    /// One assessment per update.
    public var assessments: [UpdateAssessment]

    /// Scores with every field given.
    public init(evaluator: Address, assessments: [UpdateAssessment]) {
        self.evaluator = evaluator
        self.assessments = assessments
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
    /// How much lower the next model's mean validation loss is than its parent's on the evaluator's data, in
    /// micro-nats: negative when it is worse.
    public var improvement: Int64
    /// The standard error of ``improvement`` (the per-example loss differences' sample standard deviation over
    /// `√n`), in micro-nats, at least 0.
    public var improvementError: Int64

    /// An attestation with every field given.
    public init(
        evaluator: Address, model: SHA256Digest, metricBasisPoints: UInt16, improvement: Int64, improvementError: Int64
    ) {
        self.evaluator = evaluator
        self.model = model
        self.metricBasisPoints = metricBasisPoints
        self.improvement = improvement
        self.improvementError = improvementError
    }
}

/// How an update was judged when its scores were revealed, and what it was paid when the round closed.
public struct UpdateVerdict: Sendable, Hashable, Codable {
    /// The stake-weighted median of the evaluators' scores.
    public var consensusScore: Int64
    /// The stake-weighted median of the evaluators' evidence of harm (harm minus the task's confidence times
    /// the standard error), in micro-nats.
    public var evidence: Int64
    /// Whether evaluators holding more than half of the weight excluded it for an anomaly.
    public var excluded: Bool
    /// Whether it was judged harmful (evidence above the task's harm tolerance), and its contributor slashed.
    public var harmful: Bool
    /// Whether it is in the aggregate: neither harmful nor excluded.
    public var accepted: Bool
    /// Tokens paid to the contributor for it.
    public var reward: Amount
    /// Stake slashed from the contributor for it.
    public var slashed: Amount

    /// A verdict with every field given.
    public init(
        consensusScore: Int64, evidence: Int64, excluded: Bool, harmful: Bool, accepted: Bool, reward: Amount,
        slashed: Amount
    ) {
        self.consensusScore = consensusScore
        self.evidence = evidence
        self.excluded = excluded
        self.harmful = harmful
        self.accepted = accepted
        self.reward = reward
        self.slashed = slashed
    }
}

/// What an evaluator was paid for a round.
public struct EvaluatorPayout: Sendable, Hashable, Codable {
    /// The evaluator.
    public var evaluator: Address
    /// The evaluator's weight in the medians: its stake, capped below half of all weight.
    public var weight: Amount
    /// Share of the evaluator's judgements that match the consensus, in basis points: for each update whether
    /// it is harmful, excluded or paid, and whether the round's model is acceptable.
    public var agreementBasisPoints: UInt16
    /// Tokens paid.
    public var reward: Amount

    /// A payout with every field given.
    public init(evaluator: Address, weight: Amount, agreementBasisPoints: UInt16, reward: Amount) {
        self.evaluator = evaluator
        self.weight = weight
        self.agreementBasisPoints = agreementBasisPoints
        self.reward = reward
    }
}

// MARK: - Canonical encodings

extension Commitment: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.member)
        encoder.encode(self.hash)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.member = try decoder.decode(Address.self)
        self.hash = try decoder.decode(SHA256Digest.self)
    }
}

extension UpdateSubmission: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.contributor)
        encoder.encode(self.blob)
        encoder.encode(self.sampleCount)
        encoder.encode(self.height)
        encoder.encode(self.epsilonMillionths)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.contributor = try decoder.decode(Address.self)
        self.blob = try decoder.decode(SHA256Digest.self)
        self.sampleCount = try decoder.decodeUInt64()
        self.height = try decoder.decodeUInt64()
        self.epsilonMillionths = try decoder.decodeOptional(UInt64.self)
    }
}

extension UpdateAssessment: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.score)
        encoder.encode(self.harm)
        encoder.encode(self.harmError)
        encoder.encode(self.excluded)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.score = try decoder.decode(Int64.self)
        self.harm = try decoder.decode(Int64.self)
        self.harmError = try decoder.decode(Int64.self)
        self.excluded = try decoder.decodeBool()
    }
}

extension EvaluatorScores: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.evaluator)
        encoder.encode(self.assessments)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.evaluator = try decoder.decode(Address.self)
        self.assessments = try decoder.decodeArray(
            of: UpdateAssessment.self, maxCount: Int(TaskSpec.Limits.participantsPerRound))
    }
}

extension ModelAttestation: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.evaluator)
        encoder.encode(self.model)
        encoder.encode(self.metricBasisPoints)
        encoder.encode(self.improvement)
        encoder.encode(self.improvementError)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.evaluator = try decoder.decode(Address.self)
        self.model = try decoder.decode(SHA256Digest.self)
        self.metricBasisPoints = try decoder.decodeUInt16()
        self.improvement = try decoder.decode(Int64.self)
        self.improvementError = try decoder.decode(Int64.self)
    }
}

extension UpdateVerdict: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.consensusScore)
        encoder.encode(self.evidence)
        encoder.encode(self.excluded)
        encoder.encode(self.harmful)
        encoder.encode(self.accepted)
        encoder.encode(self.reward)
        encoder.encode(self.slashed)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.consensusScore = try decoder.decode(Int64.self)
        self.evidence = try decoder.decode(Int64.self)
        self.excluded = try decoder.decodeBool()
        self.harmful = try decoder.decodeBool()
        self.accepted = try decoder.decodeBool()
        self.reward = try decoder.decodeUInt64()
        self.slashed = try decoder.decodeUInt64()
    }
}

extension EvaluatorPayout: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.evaluator)
        encoder.encode(self.weight)
        encoder.encode(self.agreementBasisPoints)
        encoder.encode(self.reward)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.evaluator = try decoder.decode(Address.self)
        self.weight = try decoder.decodeUInt64()
        self.agreementBasisPoints = try decoder.decodeUInt16()
        self.reward = try decoder.decodeUInt64()
    }
}
