// How a trainer turns the global model and its data into an update.

public import Federation
public import Ledger
public import Learning

/// What a trainer knows when it makes its update for a round.
public struct UpdateContext: Sendable {
    /// The task.
    public var task: TrainingTask
    /// The round number (a policy that needs the whole round reads it from the network).
    public var round: UInt32
    /// The decoded task settings.
    public var settings: TaskSettings
    /// The round's global parameters.
    public var global: [Float]
    /// The trainer's private data.
    public var data: Dataset
    /// The seed of local training: derived from the trainer's secret, the task and the round (see
    /// `TrainerRole.seed(task:round:network:)`).
    public var seed: UInt64
}

/// Makes a trainer's update. The honest policy trains locally (``HonestTraining``); the devnet plugs in
/// misbehaving ones to show that scoring, slashing and robust aggregation hold.
public protocol UpdatePolicy: Sendable {
    /// The delta and the sample count to commit to, or `nil` to submit nothing this round.
    func update(in context: UpdateContext, network: any TrainingNetwork) async throws -> LocalUpdate?

    /// Whether the trainer reveals what it committed to (an honest trainer always does).
    var reveals: Bool { get }
}

extension UpdatePolicy {
    public var reveals: Bool { true }
}

/// Local training on the trainer's own data with the task's settings: what an honest data owner submits.
public struct HonestTraining: UpdatePolicy {
    /// An honest policy.
    public init() {}

    public func update(in context: UpdateContext, network: any TrainingNetwork) async throws -> LocalUpdate? {
        var configuration = context.settings.training
        configuration.seed = context.seed
        return try trainLocalUpdate(spec: context.settings.model, global: context.global, data: context.data, configuration: configuration)
    }
}
