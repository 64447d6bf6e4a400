// APITypes: model versions in JSON, with their lineage.

public import DeAICore
public import Ledger

/// A version of a task's model agreed on chain. One version alone (`/v1/tasks/{id}/models/{version}` and
/// `/v1/models/{hash}`) embeds its ``lineage``, the round it came from; with `?prove=true`, a proof of its state
/// entry (`StateKey.modelVersion(taskID:version:)`, whose value decodes with `ModelVersion(canonicalEncoding:)`).
public struct ModelVersionView: Codable, Sendable, Hashable {
    /// The task.
    public var taskID: UInt64
    /// The version number, from 1.
    public var version: UInt32
    /// The round that produced it.
    public var round: UInt32
    /// The blob hash of its weights.
    public var model: SHA256Digest
    /// The blob hash of the version it was trained from.
    public var parent: SHA256Digest
    /// The height at which it was agreed.
    public var height: Height
    /// The contributors whose updates it aggregates, by address.
    public var contributors: [Address]
    /// The weighted lower median of the agreeing attesters' accuracies, in basis points.
    public var metricBasisPoints: UInt16
    /// The weight of the evaluators that attested it, in the round's medians (stakes, the largest capped so that
    /// it decides no median alone).
    public var attestedStake: Amount
    /// The weight of every evaluator that revealed scores in the round: more than 2/3 of it attested.
    public var evaluatorStake: Amount
    /// The round record it came from: its commitments, updates, verdicts, assessments, pay and attestations.
    /// Absent in lists.
    public var lineage: RoundView?
    /// The proof of the version's entry, when asked for.
    public var proof: AccountProofView?

    private enum CodingKeys: String, CodingKey {
        case version, round, model, parent, height, contributors, lineage, proof
        case taskID = "task_id", metricBasisPoints = "metric_basis_points"
        case attestedStake = "attested_stake", evaluatorStake = "evaluator_stake"
    }

    /// The view of `version`, with its `lineage` and `proof` when given.
    public init(_ version: ModelVersion, lineage: TrainingRound? = nil, proof: AccountProofView? = nil) {
        self.taskID = version.taskID
        self.version = version.version
        self.round = version.round
        self.model = version.model
        self.parent = version.parent
        self.height = version.height
        self.contributors = version.contributors
        self.metricBasisPoints = version.metricBasisPoints
        self.attestedStake = version.attestedStake
        self.evaluatorStake = version.evaluatorStake
        self.lineage = lineage.map { RoundView($0, height: nil) }
        self.proof = proof
    }
}

/// A task's model versions, in order, after its initial model (version 0, which has no record).
public struct ModelVersionsView: Codable, Sendable, Hashable {
    /// The task.
    public var taskID: UInt64
    /// The committed height.
    public var height: Height
    /// The blob hash of the initial model, version 0.
    public var initialModel: SHA256Digest
    /// The versions from 1, without lineage.
    public var versions: [ModelVersionView]

    private enum CodingKeys: String, CodingKey {
        case height, versions, taskID = "task_id", initialModel = "initial_model"
    }

    /// The versions of `task` in `state` at `height`.
    public init(task: TrainingTask, state: LedgerState, height: Height) {
        self.taskID = task.id
        self.height = height
        self.initialModel = task.spec.initialModel
        self.versions = (state.modelVersions[task.id] ?? [:]).values.sorted { $0.version < $1.version }.map {
            ModelVersionView($0)
        }
    }
}
