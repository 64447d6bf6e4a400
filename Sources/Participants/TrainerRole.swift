// The data owner: trains on private data when selected and submits the update.

import DeAICore
import Federation
public import Ledger
public import Learning
public import Logging

/// A data owner in one task: whenever a round selects it, it fetches the round's global model, makes its update
/// with its ``UpdatePolicy`` (local training on its private data, for an honest owner), publishes the update as a
/// blob and posts its hash and sample count. The data never leaves the owner.
public struct TrainerRole: Sendable {
    /// The task.
    public let taskID: UInt64
    /// The owner's private training data.
    public let data: Dataset
    /// How the owner makes its updates.
    public let policy: any UpdatePolicy
    private let observer: (any WorkObserver)?
    private let logger: Logger

    /// A data owner of task `taskID` holding `data`; `observer`, if any, is told how long each update took to make.
    public init(
        taskID: UInt64, data: Dataset, policy: any UpdatePolicy = HonestTraining(), observer: (any WorkObserver)? = nil,
        logger: Logger
    ) {
        self.taskID = taskID
        self.data = data
        self.policy = policy
        self.observer = observer
        self.logger = logger
    }

    /// Takes part in every round until the task completes.
    /// - Throws: the network's errors, and ``ParticipantError`` for a task it cannot work on.
    public func run(on network: some TrainingNetwork) async throws {
        var task = try await network.task(self.taskID, after: nil)
        var settings: TaskSettings?
        var lastRound: UInt32 = 0
        while task.status != .completed {
            try Task.checkCancellation()
            if task.status == .running, task.phase == .updates, task.round > lastRound {
                lastRound = task.round
                let current = try settings ?? TaskSettings(task.spec, taskID: self.taskID)
                settings = current
                try await self.takePart(in: task, settings: current, network: network)
            }
            task = try await network.task(self.taskID, after: TaskPosition(task))
        }
    }

    /// Submits the update of the task's current round if the round selected this owner.
    func takePart(in task: TrainingTask, settings: TaskSettings, network: some TrainingNetwork) async throws {
        let round = try await network.round(taskID: task.id, number: task.round)
        guard round.selected.contains(network.address), !round.updates.contains(where: { $0.contributor == network.address }),
            !round.copies.contains(network.address)
        else {
            return
        }
        let global = try await ModelBlobs.vector(task.model, from: network)
        let context = UpdateContext(
            task: task, round: round, settings: settings, global: global, data: self.data,
            seed: Self.seed(task: task.id, round: task.round, address: network.address))
        let made = try await self.observer.timing(.localTraining, taskID: task.id, round: task.round) {
            try await self.policy.update(in: context, network: network)
        }
        guard let update = made else { return }
        let blob = try await network.publishBlob(ModelBlobs.updateBlob(update.delta))
        try await network.send(.submitUpdate(taskID: task.id, round: task.round, blob: blob, sampleCount: update.sampleCount))
        self.logger.debug(
            "update submitted",
            metadata: ["task": "\(task.id)", "round": "\(task.round)", "blob": "\(blob)", "samples": "\(update.sampleCount)"])
    }

    /// The local training seed of an owner in a round: different for every owner and round, the same on replay.
    static func seed(task: UInt64, round: UInt32, address: Address) -> UInt64 {
        var encoder = CanonicalEncoder()
        encoder.encode(task)
        encoder.encode(round)
        encoder.encode(address)
        return SHA256Digest(domain: "deai/local-training-seed", hashing: encoder.bytes).bytes.prefix(8)
            .reduce(0) { ($0 << 8) | UInt64($1) }
    }
}
