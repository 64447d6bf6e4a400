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
    /// Longest update-commit phase, in blocks; it ends early once every selected trainer has committed.
    public var updateBlocks: UInt32
    /// Longest score-commit phase, in blocks; it ends early once every evaluator has committed its scores.
    public var scoreBlocks: UInt32
    /// Longest reveal phase (of updates, then of scores), in blocks; each ends early once every commitment of
    /// the phase before is revealed.
    public var revealBlocks: UInt32
    /// Longest attestation phase, in blocks; it ends early once every evaluator that revealed scores has attested,
    /// so that the result does not depend on which attestations reached a block first.
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
    /// Stake a member forfeits (burned) when it commits to an update or to scores and does not reveal in time.
    public var revealDeposit: Amount
    /// The fewest evaluators who must reveal scores for a round to be judged; round 1 opens only once this many
    /// have joined.
    public var minimumEvaluators: UInt32
    /// The fewest accepted updates a new model version must aggregate; with fewer the parent carries over.
    public var minimumAccepted: UInt32
    /// Evidence of harm must exceed this many micro-nats of validation loss for an update to be harmful.
    public var harmTolerance: Int64
    /// The confidence of the harm evidence: an evaluator's evidence is its measured harm minus this many
    /// hundredths of its standard error (300: three standard errors).
    public var harmConfidenceHundredths: UInt16
    /// A new model may be worse than its parent on the evaluators' data by at most this many micro-nats of
    /// validation loss, beyond ``regressionConfidenceHundredths`` standard errors of the panel's measurement; a
    /// larger regression leaves the parent in place and the round unpaid.
    public var regressionTolerance: Int64
    /// How many hundredths of the panel's standard error a measured regression must exceed the tolerance by to
    /// count as one: 0 (the default) keeps the parent whenever the measured loss is worse than the tolerance
    /// allows; 300 only on three-standard-error evidence, as harm is judged (see
    /// ``RoundSettlement/regressed(improvement:error:tolerance:confidenceHundredths:)``).
    public var regressionConfidenceHundredths: UInt16
    /// The improvement, in micro-nats of validation loss, that earns a round its share of the pool
    /// (`rewardPool / rounds`): every micro-nat earns `rewardPool / (rounds × fullRewardImprovement)` tokens, up
    /// to the round's budget; no improvement earns nothing.
    public var fullRewardImprovement: Int64
    /// How data owners train each round, as JSON (epochs, batch size, optimizer).
    public var trainingSettings: String
    /// How evaluators score updates, as JSON (Shapley estimator, anomaly thresholds).
    public var evaluationSettings: String
    /// The differential privacy owners train with and the budget each may spend, accounted on the chain; `nil`
    /// for a task without DP.
    public var privacy: PrivacyTerms?
    /// Whether trainers seal their updates to the evaluators (``DeAICore/SealedBlob``), so that the blob store and
    /// everyone but the task's active evaluators see only ciphertext; model versions stay public. Evaluators then
    /// join with a sealing key.
    public var sealedUpdates: Bool

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
        /// The most evaluators a task may require.
        public static let evaluators: UInt32 = 64
        /// The largest tolerance or improvement in micro-nats (1,000 nats).
        public static let nats: Int64 = 1_000_000_000
    }

    /// A spec with every field given.
    public init(
        name: String, modelSpec: String, dataSchema: String, initialModel: SHA256Digest, rounds: UInt32,
        participantsPerRound: UInt32, enrollmentBlocks: UInt32, updateBlocks: UInt32, scoreBlocks: UInt32,
        revealBlocks: UInt32, attestBlocks: UInt32, rewardPool: Amount, aggregationRule: String, minimumStake: Amount,
        evaluatorShareBasisPoints: UInt16, slashBasisPoints: UInt16, revealDeposit: Amount,
        minimumEvaluators: UInt32 = 3, minimumAccepted: UInt32 = 1, harmTolerance: Int64 = 0,
        harmConfidenceHundredths: UInt16 = 300, regressionTolerance: Int64 = 0,
        regressionConfidenceHundredths: UInt16 = 0,
        fullRewardImprovement: Int64 = 50_000, trainingSettings: String, evaluationSettings: String,
        privacy: PrivacyTerms? = nil, sealedUpdates: Bool = false
    ) {
        self.sealedUpdates = sealedUpdates
        self.name = name
        self.modelSpec = modelSpec
        self.dataSchema = dataSchema
        self.initialModel = initialModel
        self.rounds = rounds
        self.participantsPerRound = participantsPerRound
        self.enrollmentBlocks = enrollmentBlocks
        self.updateBlocks = updateBlocks
        self.scoreBlocks = scoreBlocks
        self.revealBlocks = revealBlocks
        self.attestBlocks = attestBlocks
        self.rewardPool = rewardPool
        self.aggregationRule = aggregationRule
        self.minimumStake = minimumStake
        self.evaluatorShareBasisPoints = evaluatorShareBasisPoints
        self.slashBasisPoints = slashBasisPoints
        self.revealDeposit = revealDeposit
        self.minimumEvaluators = minimumEvaluators
        self.minimumAccepted = minimumAccepted
        self.harmTolerance = harmTolerance
        self.harmConfidenceHundredths = harmConfidenceHundredths
        self.regressionTolerance = regressionTolerance
        self.regressionConfidenceHundredths = regressionConfidenceHundredths
        self.fullRewardImprovement = fullRewardImprovement
        self.trainingSettings = trainingSettings
        self.evaluationSettings = evaluationSettings
        self.privacy = privacy
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
        let phases = [
            ("update", self.updateBlocks), ("score", self.scoreBlocks), ("reveal", self.revealBlocks),
            ("attest", self.attestBlocks),
        ]
        for (name, blocks) in phases {
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
        try require(self.revealDeposit <= self.minimumStake, "the reveal deposit must not exceed the minimum stake")
        try require(
            (1...Limits.evaluators).contains(self.minimumEvaluators), "minimum evaluators must be 1–\(Limits.evaluators)")
        try require(
            (1...self.participantsPerRound).contains(self.minimumAccepted),
            "minimum accepted updates must be 1–\(self.participantsPerRound) (participants per round)")
        try require((0...Limits.nats).contains(self.harmTolerance), "the harm tolerance must be 0–\(Limits.nats) micro-nats")
        try require(
            self.harmConfidenceHundredths <= 1_000, "the harm confidence must be at most 1000 hundredths (10 standard errors)")
        try require(
            (0...Limits.nats).contains(self.regressionTolerance), "the regression tolerance must be 0–\(Limits.nats) micro-nats")
        try require(
            self.regressionConfidenceHundredths <= 1_000,
            "the regression confidence must be at most 1000 hundredths (10 standard errors)")
        try require(
            (1...Limits.nats).contains(self.fullRewardImprovement),
            "the full-reward improvement must be 1–\(Limits.nats) micro-nats")
        try self.privacy?.validate()
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
        encoder.encode(self.revealBlocks)
        encoder.encode(self.attestBlocks)
        encoder.encode(self.rewardPool)
        encoder.encode(self.aggregationRule)
        encoder.encode(self.minimumStake)
        encoder.encode(self.evaluatorShareBasisPoints)
        encoder.encode(self.slashBasisPoints)
        encoder.encode(self.revealDeposit)
        encoder.encode(self.minimumEvaluators)
        encoder.encode(self.minimumAccepted)
        encoder.encode(self.harmTolerance)
        encoder.encode(self.harmConfidenceHundredths)
        encoder.encode(self.regressionTolerance)
        encoder.encode(self.regressionConfidenceHundredths)
        encoder.encode(self.fullRewardImprovement)
        encoder.encode(self.trainingSettings)
        encoder.encode(self.evaluationSettings)
        encoder.encode(self.privacy)
        encoder.encode(self.sealedUpdates)
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
        self.revealBlocks = try decoder.decodeUInt32()
        self.attestBlocks = try decoder.decodeUInt32()
        self.rewardPool = try decoder.decodeUInt64()
        self.aggregationRule = try decoder.decodeString(maxBytes: 32)
        self.minimumStake = try decoder.decodeUInt64()
        self.evaluatorShareBasisPoints = try decoder.decodeUInt16()
        self.slashBasisPoints = try decoder.decodeUInt16()
        self.revealDeposit = try decoder.decodeUInt64()
        self.minimumEvaluators = try decoder.decodeUInt32()
        self.minimumAccepted = try decoder.decodeUInt32()
        self.harmTolerance = try decoder.decode(Int64.self)
        self.harmConfidenceHundredths = try decoder.decodeUInt16()
        self.regressionTolerance = try decoder.decode(Int64.self)
        self.regressionConfidenceHundredths = try decoder.decodeUInt16()
        self.fullRewardImprovement = try decoder.decode(Int64.self)
        self.trainingSettings = try decoder.decodeString(maxBytes: Limits.settings)
        self.evaluationSettings = try decoder.decodeString(maxBytes: Limits.settings)
        self.privacy = try decoder.decodeOptional(PrivacyTerms.self)
        self.sealedUpdates = try decoder.decodeBool()
    }
}
