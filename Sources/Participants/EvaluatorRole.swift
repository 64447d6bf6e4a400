// The evaluator: scores every update on its own held-out data and attests the aggregate of the accepted ones.

import DeAICore
import Federation
import Ledger
public import Learning
public import Logging

/// An evaluator in one task. In each round's scoring phase it fetches every update, scores each on its own
/// held-out data (Shapley value of the update's marginal gain, anomaly checks) and posts the scores; in the
/// attestation phase it aggregates the accepted updates with the task's rule, in the chain's order, publishes the
/// next model and attests its hash with its accuracy on the held-out data.
public struct EvaluatorRole: Sendable {
    /// The task.
    public let taskID: UInt64
    /// The evaluator's held-out data.
    public let validation: Dataset
    private let observer: (any WorkObserver)?
    private let logger: Logger

    /// An evaluator of task `taskID` holding `validation`; `observer`, if any, is told how long scoring and
    /// aggregation took.
    public init(taskID: UInt64, validation: Dataset, observer: (any WorkObserver)? = nil, logger: Logger) {
        self.taskID = taskID
        self.validation = validation
        self.observer = observer
        self.logger = logger
    }

    /// Scores and attests every round until the task completes.
    /// - Throws: the network's errors, and ``ParticipantError`` for a task it cannot work on.
    public func run(on network: some TrainingNetwork) async throws {
        var task = try await network.task(self.taskID, after: nil)
        var settings: TaskSettings?
        var scored: UInt32 = 0
        var attested: UInt32 = 0
        var updates = UpdateCache()
        while task.status != .completed {
            try Task.checkCancellation()
            if task.status == .running {
                let current = try settings ?? TaskSettings(task.spec, taskID: self.taskID)
                settings = current
                if task.phase == .scoring, task.round > scored {
                    scored = task.round
                    try await self.score(task, settings: current, cache: &updates, network: network)
                } else if task.phase == .attesting, task.round > attested {
                    attested = task.round
                    try await self.attest(task, settings: current, cache: &updates, network: network)
                }
            }
            task = try await network.task(self.taskID, after: TaskPosition(task))
        }
    }

    func score(_ task: TrainingTask, settings: TaskSettings, cache: inout UpdateCache, network: some TrainingNetwork) async throws {
        let round = try await network.round(taskID: task.id, number: task.round)
        // Already scored, before a restart: the chain takes one set of scores per evaluator and round.
        guard !round.scores.contains(where: { $0.evaluator == network.address }) else { return }
        let global = try await cache.global(of: round, network: network)
        let deltas = try await cache.deltas(of: round, dimension: global.count, network: network)
        let scores = try await self.observer.timing(.scoring, taskID: task.id, round: task.round) {
            let evaluator = try UpdateEvaluator(
                spec: settings.model, global: global, validation: self.validation, settings: settings.evaluation,
                localTraining: settings.training)
            return try evaluator.score(updates: deltas, sampleCounts: round.updates.map(\.sampleCount))
        }
        try await network.send(
            .submitScores(taskID: task.id, round: task.round, scores: scores.map { Self.submitted($0, task: task) }))
        self.logger.debug("scores submitted", metadata: ["task": "\(task.id)", "round": "\(task.round)", "updates": "\(deltas.count)"])
    }

    /// The score posted for an update: its own, except that an update with no anomaly is never scored harmful. A
    /// negative Shapley value alone is no evidence of dishonesty — on non-IID data an honest update that pulls the
    /// model toward its owner's labels is worth less than nothing in most coalitions — so it is kept just above the
    /// task's harmful threshold: unpaid and left out of the aggregate, but not slashed.
    static func submitted(_ score: UpdateScore, task: TrainingTask) -> Int64 {
        score.anomalies.isEmpty ? max(score.score, task.spec.harmfulScore) : score.score
    }

    func attest(_ task: TrainingTask, settings: TaskSettings, cache: inout UpdateCache, network: some TrainingNetwork) async throws {
        let round = try await network.round(taskID: task.id, number: task.round)
        guard !round.attestations.contains(where: { $0.evaluator == network.address }) else { return }
        let global = try await cache.global(of: round, network: network)
        let deltas = try await cache.deltas(of: round, dimension: global.count, network: network)
        let accepted = round.verdicts.indices.filter { round.verdicts[$0].accepted }
        guard !accepted.isEmpty else { return }
        let (next, accuracy) = try await self.observer.timing(.aggregation, taskID: task.id, round: task.round) {
            let aggregate = try Federation.aggregate(
                accepted.map { deltas[$0] }, weights: accepted.map { round.updates[$0].sampleCount }, rule: settings.rule,
                configuration: .forRound(of: accepted.count))
            let next = try applyUpdate(aggregate, to: global)
            var model = try Model(spec: settings.model, seed: 0)
            try model.setFlatParameters(next)
            return (next, try model.evaluate(on: self.validation).accuracy)
        }
        let blob = ModelBlobs.modelBlob(next)
        _ = try await network.publishBlob(blob.bytes)
        let metric = UInt16(clamping: Int((accuracy * 10_000).rounded()))
        try await network.send(.attestModel(taskID: task.id, round: task.round, model: blob.hash, metricBasisPoints: metric))
        self.logger.debug("aggregate attested", metadata: ["task": "\(task.id)", "round": "\(task.round)", "model": "\(blob.hash)"])
    }
}

/// The decoded base model and updates of the round being evaluated, fetched once for scoring and attesting.
struct UpdateCache {
    private var round: UInt32 = 0
    private var base: [Float]?
    private var vectors: [SHA256Digest: [Float]] = [:]

    /// The round's base model.
    mutating func global(of round: TrainingRound, network: some TrainingNetwork) async throws -> [Float] {
        self.forget(unless: round.number)
        if let base = self.base { return base }
        let base = try await ModelBlobs.vector(round.baseModel, from: network)
        self.base = base
        return base
    }

    private mutating func forget(unless number: UInt32) {
        guard number != self.round else { return }
        self.round = number
        self.base = nil
        self.vectors = [:]
    }

    /// The round's updates in the chain's order; an update whose blob cannot be fetched or decoded is empty
    /// (the evaluator scores it as invalid).
    mutating func deltas(of round: TrainingRound, dimension: Int, network: some TrainingNetwork) async throws -> [[Float]] {
        self.forget(unless: round.number)
        let missing = round.updates.map(\.blob).filter { self.vectors[$0] == nil }
        let fetched = try await withThrowingTaskGroup(of: (SHA256Digest, [Float]).self) { group in
            for hash in missing {
                group.addTask {
                    let vector = try? await ModelBlobs.vector(hash, count: dimension, from: network)
                    return (hash, vector ?? [])
                }
            }
            var results: [(SHA256Digest, [Float])] = []
            for try await result in group { results.append(result) }
            return results
        }
        for (hash, vector) in fetched { self.vectors[hash] = vector }
        return round.updates.map { self.vectors[$0.blob] ?? [] }
    }
}
