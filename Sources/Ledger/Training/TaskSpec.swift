// What a sponsor asks for when it posts a federated training task.

public import DeAICore

/// The terms of a federated training task, fixed when the sponsor posts it.
///
/// The chain checks the numbers and keeps the escrow; it does not interpret the model, training or evaluation
/// settings (JSON documents for the nodes that train and evaluate), only their size.
public struct TaskSpec: Sendable, Hashable, Codable {
    /// A short name for people.
    public var name: String
    /// The model architecture, as the JSON of a `Learning.ModelSpec`.
    public var modelSpec: String
    /// What the data must look like (features, classes), for data owners to check before they join.
    public var dataSchema: String
    /// The blob hash of the initial weights (version 0 of the model).
    public var initialModel: SHA256Digest
    /// How many rounds the task runs.
    public var rounds: UInt32
    /// How many trainers each round selects (all eligible ones when fewer).
    public var participantsPerRound: UInt32
    /// Blocks after the task is posted before round 1 can open, for data owners and evaluators to join.
    public var enrollmentBlocks: UInt32
    /// Longest update phase, in blocks; it ends early once every selected trainer has submitted.
    public var updateBlocks: UInt32
    /// Longest scoring phase, in blocks; it ends early once every evaluator has scored.
    public var scoreBlocks: UInt32
    /// Longest attestation phase, in blocks; it ends as soon as more than 2/3 of evaluator stake agrees.
    public var attestBlocks: UInt32
    /// Tokens the sponsor escrows for rewards, paid out round by round.
    public var rewardPool: Amount
    /// The aggregation rule evaluators apply to the accepted updates; one of ``aggregationRules``.
    public var aggregationRule: String
    /// Smallest stake with which a trainer or an evaluator joins, and with which a trainer stays selectable.
    public var minimumStake: Amount
    /// Share of each round's reward paid to evaluators, in basis points; the rest goes to contributors.
    public var evaluatorShareBasisPoints: UInt16
    /// Share of a harmful contributor's stake that is slashed (burned), in basis points.
    public var slashBasisPoints: UInt16
    /// A consensus score below this (in micro-units) marks an update harmful: excluded and slashed.
    public var harmfulScore: Int64
    /// How data owners train each round, as JSON (epochs, batch size, optimizer).
    public var trainingSettings: String
    /// How evaluators score updates, as JSON (Shapley estimator, anomaly thresholds).
    public var evaluationSettings: String

    /// The aggregation rules the chain accepts, by their stable names.
    public static let aggregationRules = [
        "fedavg", "median", "trimmed_mean", "multi_krum", "geometric_median", "centered_clipping",
    ]

    /// Limits on the sizes of the spec's text fields, in UTF-8 bytes.
    public enum Limits {
        public static let name = 64
        public static let modelSpec = 4_096
        public static let dataSchema = 256
        public static let settings = 1_024
        public static let rounds: UInt32 = 10_000
        public static let participantsPerRound: UInt32 = 1_000
        public static let phaseBlocks: UInt32 = 100_000
    }

    /// A spec with every field given.
    public init(
        name: String, modelSpec: String, dataSchema: String, initialModel: SHA256Digest, rounds: UInt32,
        participantsPerRound: UInt32, enrollmentBlocks: UInt32, updateBlocks: UInt32, scoreBlocks: UInt32,
        attestBlocks: UInt32, rewardPool: Amount, aggregationRule: String, minimumStake: Amount,
        evaluatorShareBasisPoints: UInt16, slashBasisPoints: UInt16, harmfulScore: Int64,
        trainingSettings: String, evaluationSettings: String
    ) {
        self.name = name
        self.modelSpec = modelSpec
        self.dataSchema = dataSchema
        self.initialModel = initialModel
        self.rounds = rounds
        self.participantsPerRound = participantsPerRound
        self.enrollmentBlocks = enrollmentBlocks
        self.updateBlocks = updateBlocks
        self.scoreBlocks = scoreBlocks
        self.attestBlocks = attestBlocks
        self.rewardPool = rewardPool
        self.aggregationRule = aggregationRule
        self.minimumStake = minimumStake
        self.evaluatorShareBasisPoints = evaluatorShareBasisPoints
        self.slashBasisPoints = slashBasisPoints
        self.harmfulScore = harmfulScore
        self.trainingSettings = trainingSettings
        self.evaluationSettings = evaluationSettings
    }

    /// Checks every field against its limits.
    /// - Throws: ``LedgerError/invalidTask(reason:)`` naming the first field out of bounds.
    public func validate() throws(LedgerError) {
        func require(_ condition: Bool, _ reason: @autoclosure () -> String) throws(LedgerError) {
            guard condition else { throw .invalidTask(reason: reason()) }
        }
        try require(!self.name.isEmpty && self.name.utf8.count <= Limits.name, "name must be 1–\(Limits.name) bytes")
        try require(self.modelSpec.utf8.count <= Limits.modelSpec, "model spec exceeds \(Limits.modelSpec) bytes")
        try require(self.dataSchema.utf8.count <= Limits.dataSchema, "data schema exceeds \(Limits.dataSchema) bytes")
        try require(self.trainingSettings.utf8.count <= Limits.settings, "training settings exceed \(Limits.settings) bytes")
        try require(self.evaluationSettings.utf8.count <= Limits.settings, "evaluation settings exceed \(Limits.settings) bytes")
        try require((1...Limits.rounds).contains(self.rounds), "rounds must be 1–\(Limits.rounds)")
        try require(
            (1...Limits.participantsPerRound).contains(self.participantsPerRound),
            "participants per round must be 1–\(Limits.participantsPerRound)")
        for (name, blocks) in [("update", self.updateBlocks), ("score", self.scoreBlocks), ("attest", self.attestBlocks)] {
            try require((1...Limits.phaseBlocks).contains(blocks), "\(name) blocks must be 1–\(Limits.phaseBlocks)")
        }
        try require(self.enrollmentBlocks <= Limits.phaseBlocks, "enrollment blocks must be at most \(Limits.phaseBlocks)")
        try require(self.rewardPool >= Amount(self.rounds), "the reward pool must pay at least 1 per round")
        try require(
            Self.aggregationRules.contains(self.aggregationRule),
            "unknown aggregation rule \"\(self.aggregationRule)\" (\(Self.aggregationRules.joined(separator: ", ")))")
        try require(self.minimumStake > 0, "the minimum stake must be greater than zero")
        try require(self.evaluatorShareBasisPoints <= 10_000, "evaluator share exceeds 10000 basis points")
        try require(self.slashBasisPoints <= 10_000, "slash share exceeds 10000 basis points")
        try require(self.harmfulScore <= 0, "the harmful score threshold must be zero or negative")
    }
}

extension TaskSpec: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.name)
        encoder.encode(self.modelSpec)
        encoder.encode(self.dataSchema)
        encoder.encode(self.initialModel)
        encoder.encode(self.rounds)
        encoder.encode(self.participantsPerRound)
        encoder.encode(self.enrollmentBlocks)
        encoder.encode(self.updateBlocks)
        encoder.encode(self.scoreBlocks)
        encoder.encode(self.attestBlocks)
        encoder.encode(self.rewardPool)
        encoder.encode(self.aggregationRule)
        encoder.encode(self.minimumStake)
        encoder.encode(self.evaluatorShareBasisPoints)
        encoder.encode(self.slashBasisPoints)
        encoder.encode(self.harmfulScore)
        encoder.encode(self.trainingSettings)
        encoder.encode(self.evaluationSettings)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.name = try decoder.decodeString(maxBytes: Limits.name)
        self.modelSpec = try decoder.decodeString(maxBytes: Limits.modelSpec)
        self.dataSchema = try decoder.decodeString(maxBytes: Limits.dataSchema)
        self.initialModel = try decoder.decode(SHA256Digest.self)
        self.rounds = try decoder.decodeUInt32()
        self.participantsPerRound = try decoder.decodeUInt32()
        self.enrollmentBlocks = try decoder.decodeUInt32()
        self.updateBlocks = try decoder.decodeUInt32()
        self.scoreBlocks = try decoder.decodeUInt32()
        self.attestBlocks = try decoder.decodeUInt32()
        self.rewardPool = try decoder.decodeUInt64()
        self.aggregationRule = try decoder.decodeString(maxBytes: 32)
        self.minimumStake = try decoder.decodeUInt64()
        self.evaluatorShareBasisPoints = try decoder.decodeUInt16()
        self.slashBasisPoints = try decoder.decodeUInt16()
        self.harmfulScore = try decoder.decode(Int64.self)
        self.trainingSettings = try decoder.decodeString(maxBytes: Limits.settings)
        self.evaluationSettings = try decoder.decodeString(maxBytes: Limits.settings)
    }
}
