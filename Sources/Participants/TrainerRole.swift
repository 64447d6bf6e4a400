// The data owner: trains on private data when selected and submits the update.

import DeAICore
import Federation
import Ledger
public import Learning
public import Logging

/// A data owner in one task: whenever a round selects it, it fetches the round's global model, makes its update
/// with its ``UpdatePolicy`` (local training on its private data, for an honest owner) and commits to the update's
/// blob hash with a secret salt; once every commitment is in, it publishes the blob and reveals it. Nobody can
/// read, and so copy, an update before every trainer of the round has committed. The data never leaves the owner.
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
        var committed: UInt32 = 0
        var revealed: UInt32 = 0
        var pending: PendingUpdate?
        while task.status != .completed {
            try Task.checkCancellation()
            if task.status == .running {
                let current = try settings ?? TaskSettings(task.spec, taskID: self.taskID)
                settings = current
                if task.phase == .commitUpdates, task.round > committed {
                    committed = task.round
                    pending = try await self.commit(in: task, settings: current, network: network)
                } else if task.phase == .revealUpdates, task.round > revealed {
                    revealed = task.round
                    let made = pending?.round == task.round ? pending : nil
                    try await self.reveal(in: task, pending: made, settings: current, network: network)
                    pending = nil
                }
            }
            task = try await network.task(self.taskID, after: TaskPosition(task))
        }
    }

    /// Makes the update of the task's current round and commits to it, if the round selected this owner and it
    /// has not committed yet; returns what it will reveal.
    func commit(in task: TrainingTask, settings: TaskSettings, network: some TrainingNetwork) async throws -> PendingUpdate? {
        let standing = try await network.standing(taskID: task.id, round: task.round)
        guard standing.selected else { return nil }
        guard let pending = try await self.make(in: task, standing: standing, settings: settings, network: network) else { return nil }
        guard !standing.updateCommitted else { return pending }
        let commitment = RoundCommitment.update(
            taskID: task.id, round: task.round, contributor: network.address, blob: pending.blob.hash, salt: pending.salt)
        try await network.send(.commitUpdate(taskID: task.id, round: task.round, commitment: commitment))
        self.logger.debug("update committed", metadata: ["task": "\(task.id)", "round": "\(task.round)"])
        return pending
    }

    /// Publishes the committed update and reveals it, unless the policy withholds it. After a restart the update
    /// is made again: local training is seeded per owner and round, so it is the same update.
    func reveal(in task: TrainingTask, pending: PendingUpdate?, settings: TaskSettings, network: some TrainingNetwork) async throws {
        let standing = try await network.standing(taskID: task.id, round: task.round)
        guard standing.updateCommitted, !standing.updateRevealed, !standing.copied, self.policy.reveals else { return }
        let made = pending == nil ? try await self.make(in: task, standing: standing, settings: settings, network: network) : nil
        guard let update = pending ?? made else { return }
        _ = try await network.publishBlob(update.blob.bytes)
        try await network.send(
            .revealUpdate(
                taskID: task.id, round: task.round, blob: update.blob.hash, sampleCount: update.sampleCount,
                salt: update.salt))
        self.logger.debug(
            "update revealed",
            metadata: ["task": "\(task.id)", "round": "\(task.round)", "blob": "\(update.blob.hash)", "samples": "\(update.sampleCount)"])
    }

    /// The update this owner makes for the task's current round, encoded, with its salt.
    private func make(
        in task: TrainingTask, standing: RoundStanding, settings: TaskSettings, network: some TrainingNetwork
    ) async throws -> PendingUpdate? {
        let global = try await ModelBlobs.vector(standing.baseModel, from: network)
        let context = UpdateContext(
            task: task, round: task.round, settings: settings, global: global, data: self.data,
            seed: Self.seed(task: task.id, round: task.round, network: network))
        let made = try await self.observer.timing(.localTraining, taskID: task.id, round: task.round) {
            try await self.policy.update(in: context, network: network)
        }
        guard let update = made else { return nil }
        let bytes = try await self.encode(update.delta, in: task, network: network)
        return PendingUpdate(
            round: task.round, blob: (SHA256Digest(hashing: bytes), bytes), sampleCount: update.sampleCount,
            salt: network.salt(taskID: task.id, round: task.round, purpose: "update"))
    }

    /// The blob of `delta`: sealed to the round's evaluators when the task seals updates, else in the clear.
    private func encode(_ delta: [Float], in task: TrainingTask, network: some TrainingNetwork) async throws -> [UInt8] {
        guard task.spec.sealedUpdates else { return ModelBlobs.updateBlob(delta) }
        return try ModelBlobs.sealedUpdateBlob(
            delta, taskID: task.id, round: task.round, contributor: network.address,
            to: try await network.round(taskID: task.id, number: task.round).sealingKeys,
            secret: network.salt(taskID: task.id, round: task.round, purpose: "seal"))
    }

    /// The local training seed of an owner in a round: from the owner's secret, so that nobody else can redraw
    /// its batches or its differential-privacy noise and subtract the noise from the update; different for every
    /// round, the same on replay.
    static func seed(task: UInt64, round: UInt32, network: some TrainingNetwork) -> UInt64 {
        network.salt(taskID: task, round: round, purpose: "local-training").prefix(8).reduce(0) { ($0 << 8) | UInt64($1) }
    }
}

/// An update committed to and not yet revealed.
struct PendingUpdate: Sendable {
    /// The round it is for.
    var round: UInt32
    /// The encoded update and its hash.
    var blob: (hash: SHA256Digest, bytes: [UInt8])
    /// The sample count it claims.
    var sampleCount: UInt64
    /// The commitment's salt.
    var salt: [UInt8]
}
