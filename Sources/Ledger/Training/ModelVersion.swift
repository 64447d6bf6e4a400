// A model version agreed on chain, with its lineage.

public import DeAICore

/// A version of a task's model: the aggregate of one round's accepted updates, attested by more than 2/3 of
/// the round panel's weight. Its lineage — which updates, by whom, with what scores — is the ``TrainingRound`` named by
/// ``round``; its parent is the version the round trained from.
public struct ModelVersion: Sendable, Hashable, Codable {
    /// The task.
    public var taskID: UInt64
    /// The version number, from 1 (0 is the task's initial model, which has no record).
    public var version: UInt32
    /// The round that produced it.
    public var round: UInt32
    /// The blob hash of its weights.
    public var model: SHA256Digest
    /// The blob hash of the version it was trained from.
    public var parent: SHA256Digest
    /// The height at which it was agreed.
    public var height: Height
    /// The contributors whose updates it aggregates, sorted by address.
    public var contributors: [Address]
    /// The stake-weighted median of the attesting evaluators' accuracy, in basis points.
    public var metricBasisPoints: UInt16
    /// The weight (capped evaluator stake, ``TrainingRound/weights``) of the evaluators that attested it.
    public var attestedStake: Amount
    /// The weight of the round's whole panel: the evaluators that revealed scores.
    public var evaluatorStake: Amount

    /// A version with every field given.
    public init(
        taskID: UInt64, version: UInt32, round: UInt32, model: SHA256Digest, parent: SHA256Digest, height: Height,
        contributors: [Address], metricBasisPoints: UInt16, attestedStake: Amount, evaluatorStake: Amount
    ) {
        self.taskID = taskID
        self.version = version
        self.round = round
        self.model = model
        self.parent = parent
        self.height = height
        self.contributors = contributors
        self.metricBasisPoints = metricBasisPoints
        self.attestedStake = attestedStake
        self.evaluatorStake = evaluatorStake
    }
}

extension ModelVersion: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.taskID)
        encoder.encode(self.version)
        encoder.encode(self.round)
        encoder.encode(self.model)
        encoder.encode(self.parent)
        encoder.encode(self.height)
        encoder.encode(self.contributors)
        encoder.encode(self.metricBasisPoints)
        encoder.encode(self.attestedStake)
        encoder.encode(self.evaluatorStake)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.taskID = try decoder.decodeUInt64()
        self.version = try decoder.decodeUInt32()
        self.round = try decoder.decodeUInt32()
        self.model = try decoder.decode(SHA256Digest.self)
        self.parent = try decoder.decode(SHA256Digest.self)
        self.height = try decoder.decodeUInt64()
        self.contributors = try decoder.decodeArray(of: Address.self, maxCount: Int(TaskSpec.Limits.participantsPerRound))
        self.metricBasisPoints = try decoder.decodeUInt16()
        self.attestedStake = try decoder.decodeUInt64()
        self.evaluatorStake = try decoder.decodeUInt64()
    }
}
