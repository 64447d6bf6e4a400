// The evaluator: scores every update on its own held-out data and attests the aggregate of the accepted ones.

import DeAICore
import Federation
import Ledger
public import Learning
public import Logging

/// An evaluator in one task. In each round it fetches every revealed update, measures each on its own held-out
/// data (``Federation/UpdateEvaluator``: anomaly checks, Shapley value, harm with its standard error) and commits
/// to its assessments; once every evaluator has committed it reveals them, so that no evaluator can copy
/// another's. When the chain has judged the updates, it aggregates the accepted ones with the task's rule in the
/// chain's order, publishes the next model and attests its hash with its accuracy and its validation-loss
/// improvement over the parent on the held-out data.
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
        var done: [RoundPhase: UInt32] = [:]
        var cache = UpdateCache(sealed: task.spec.sealedUpdates)
        while task.status != .completed {
            try Task.checkCancellation()
            if task.status == .running, task.round > done[task.phase, default: 0] {
                let current = try settings ?? TaskSettings(task.spec, taskID: self.taskID)
                settings = current
                done[task.phase] = task.round
                switch task.phase {
                case .commitScores: try await self.commitScores(task, settings: current, cache: &cache, network: network)
                case .revealScores: try await self.revealScores(task, settings: current, cache: &cache, network: network)
                case .attesting: try await self.attest(task, settings: current, cache: &cache, network: network)
                case .commitUpdates, .revealUpdates: break
                }
            }
            task = try await network.task(self.taskID, after: TaskPosition(task))
        }
    }

    func commitScores(_ task: TrainingTask, settings: TaskSettings, cache: inout UpdateCache, network: some TrainingNetwork) async throws {
        let round = try await network.round(taskID: task.id, number: task.round)
        // Already committed, before a restart: the chain takes one commitment per evaluator and round.
        guard !round.scoreCommitments.contains(where: { $0.member == network.address }) else { return }
        let assessments = try await self.assessments(of: round, in: task, settings: settings, cache: &cache, network: network)
        let commitment = RoundCommitment.scores(
            taskID: task.id, round: task.round, evaluator: network.address, assessments: assessments,
            salt: network.salt(taskID: task.id, round: task.round, purpose: "scores"))
        try await network.send(.commitScores(taskID: task.id, round: task.round, commitment: commitment))
        self.logger.debug("scores committed", metadata: ["task": "\(task.id)", "round": "\(task.round)"])
    }

    func revealScores(_ task: TrainingTask, settings: TaskSettings, cache: inout UpdateCache, network: some TrainingNetwork) async throws {
        let round = try await network.round(taskID: task.id, number: task.round)
        guard round.scoreCommitments.contains(where: { $0.member == network.address }),
            !round.scores.contains(where: { $0.evaluator == network.address })
        else { return }
        let assessments = try await self.assessments(of: round, in: task, settings: settings, cache: &cache, network: network)
        try await network.send(
            .revealScores(
                taskID: task.id, round: task.round, assessments: assessments,
                salt: network.salt(taskID: task.id, round: task.round, purpose: "scores")))
        self.logger.debug("scores revealed", metadata: ["task": "\(task.id)", "round": "\(task.round)", "updates": "\(assessments.count)"])
    }

    /// This evaluator's assessments of the round's updates, measured once per round (the same again after a
    /// restart: scoring is seeded and its bits do not depend on the thread count).
    private func assessments(
        of round: TrainingRound, in task: TrainingTask, settings: TaskSettings, cache: inout UpdateCache,
        network: some TrainingNetwork
    ) async throws -> [UpdateAssessment] {
        if let known = cache.assessments(of: round) { return known }
        let global = try await cache.global(of: round, network: network)
        let parent = try await cache.parent(of: round, network: network)
        let earlier = try await cache.earlier(than: round, network: network)
        let deltas = try await cache.deltas(of: round, dimension: global.count, network: network)
        let scores = try await self.observer.timing(.scoring, taskID: round.taskID, round: round.number) {
            let evaluator = try UpdateEvaluator(
                spec: settings.model, global: global, parent: parent, validation: self.validation,
                settings: settings.evaluation)
            return try evaluator.score(
                updates: deltas, rule: settings.rule, confidence: Double(task.spec.harmConfidenceHundredths) / 100,
                earlier: earlier)
        }
        let assessments = scores.map(Self.assessment)
        cache.remember(assessments, of: round)
        return assessments
    }

    /// What goes on chain for one measured update, in micro-nats.
    static func assessment(_ score: UpdateScore) -> UpdateAssessment {
        UpdateAssessment(
            score: score.score, harm: UpdateScore.microUnits(score.harm),
            harmError: max(0, UpdateScore.microUnits(score.harmStandardError)), excluded: !score.anomalies.isEmpty)
    }

    func attest(_ task: TrainingTask, settings: TaskSettings, cache: inout UpdateCache, network: some TrainingNetwork) async throws {
        let round = try await network.round(taskID: task.id, number: task.round)
        guard round.scores.contains(where: { $0.evaluator == network.address }),
            !round.attestations.contains(where: { $0.evaluator == network.address })
        else { return }
        let global = try await cache.global(of: round, network: network)
        let deltas = try await cache.deltas(of: round, dimension: global.count, network: network)
        let accepted = round.verdicts.indices.filter { round.verdicts[$0].accepted }
        guard !accepted.isEmpty else { return }
        let parent = try await cache.parent(of: round, network: network)
        let (next, accuracy, improvement) = try await self.observer.timing(.aggregation, taskID: task.id, round: task.round) {
            let aggregate = try roundAggregate(
                accepted.map { deltas[$0] }, outOf: round.verdicts.filter { !$0.excluded }.count, rule: settings.rule)
            let evaluator = try UpdateEvaluator(
                spec: settings.model, global: global, parent: parent, validation: self.validation,
                settings: settings.evaluation)
            let improvement = try evaluator.measuredImprovement(applying: aggregate)
            let next = try evaluator.nextModel(applying: aggregate)
            var model = try Model(spec: settings.model, seed: 0)
            try model.setFlatParameters(next)
            return (next, try model.evaluate(on: self.validation).accuracy, improvement)
        }
        let blob = ModelBlobs.modelBlob(next)
        _ = try await network.publishBlob(blob.bytes)
        let metric = UInt16(clamping: Int((accuracy * 10_000).rounded()))
        try await network.send(
            .attestModel(
                taskID: task.id, round: task.round, model: blob.hash, metricBasisPoints: metric,
                improvement: UpdateScore.microUnits(improvement.improvement),
                improvementError: UpdateScore.microUnits(improvement.standardError)))
        self.logger.debug("aggregate attested", metadata: ["task": "\(task.id)", "round": "\(task.round)", "model": "\(blob.hash)"])
    }
}

/// The decoded base model and updates of the round being evaluated, fetched once for scoring and attesting, and
/// the evaluator's assessments between commit and reveal.
struct UpdateCache {
    /// The most blobs fetched at once.
    static let fetchesInFlight = 32

    /// Whether the task seals updates: they are opened with the evaluator's sealing key.
    let sealed: Bool
    private var round: UInt32 = 0
    private var base: [Float]?
    private var baseParent: [Float]?
    private var vectors: [SHA256Digest: [Float]] = [:]
    private var measured: [UpdateAssessment]?
    /// The updates revealed in the round before `round`, sorted by blob hash, once known.
    private var previous: [[Float]]?

    /// An empty cache for a task that seals its updates, or not.
    init(sealed: Bool) {
        self.sealed = sealed
    }

    /// The assessments measured in `round`, if any.
    mutating func assessments(of round: TrainingRound) -> [UpdateAssessment]? {
        self.forget(unless: round.number)
        return self.measured
    }

    /// Keeps the assessments of `round` until the next round.
    mutating func remember(_ assessments: [UpdateAssessment], of round: TrainingRound) {
        self.forget(unless: round.number)
        self.measured = assessments
    }

    /// The round's base model.
    mutating func global(of round: TrainingRound, network: some TrainingNetwork) async throws -> [Float] {
        self.forget(unless: round.number)
        if let base = self.base { return base }
        let base = try await ModelBlobs.vector(round.baseModel, from: network)
        self.base = base
        return base
    }

    /// The round's base model's parent, `nil` for the task's initial model.
    mutating func parent(of round: TrainingRound, network: some TrainingNetwork) async throws -> [Float]? {
        self.forget(unless: round.number)
        guard let hash = round.baseParent else { return nil }
        if let known = self.baseParent { return known }
        let parent = try await ModelBlobs.vector(hash, from: network)
        self.baseParent = parent
        return parent
    }

    /// The updates revealed in the round before `round` (none in round 1): kept from scoring that round, or
    /// fetched after a restart. An update that cannot be fetched is left out.
    mutating func earlier(than round: TrainingRound, network: some TrainingNetwork) async throws -> [[Float]] {
        self.forget(unless: round.number)
        if let previous = self.previous { return previous }
        guard round.number > 1 else { return [] }
        let before = try await network.round(taskID: round.taskID, number: round.number - 1)
        var vectors: [[Float]] = []
        for update in before.updates.sorted(by: { $0.blob < $1.blob }) {
            let vector = try? await ModelBlobs.update(update, in: before, sealed: self.sealed, from: network)
            if let vector { vectors.append(vector) }
        }
        self.previous = vectors
        return vectors
    }

    private mutating func forget(unless number: UInt32) {
        guard number != self.round else { return }
        // Moving on to the next round: this round's updates become the earlier ones it checks copies against.
        self.previous = number == self.round + 1 && !self.vectors.isEmpty
            ? self.vectors.sorted { $0.key < $1.key }.map(\.value).filter { !$0.isEmpty } : nil
        self.round = number
        self.base = nil
        self.baseParent = nil
        self.vectors = [:]
        self.measured = nil
    }

    /// The round's updates in the chain's order; an update whose blob cannot be fetched, opened or decoded is
    /// empty (the evaluator scores it as invalid).
    mutating func deltas(of round: TrainingRound, dimension: Int, network: some TrainingNetwork) async throws -> [[Float]] {
        self.forget(unless: round.number)
        let missing = round.updates.filter { self.vectors[$0.blob] == nil }
        let sealed = self.sealed
        // A window of fetches in flight: enough to hide the round trips, few enough to reuse the client's
        // keep-alive connections instead of opening one per blob.
        let fetched = await withTaskGroup(of: (SHA256Digest, [Float]).self) { group in
            var pending = missing.makeIterator()
            func fetchNext() {
                guard let update = pending.next() else { return }
                group.addTask {
                    let vector = try? await ModelBlobs.update(
                        update, in: round, sealed: sealed, count: dimension, from: network)
                    return (update.blob, vector ?? [])
                }
            }
            for _ in 0..<Self.fetchesInFlight { fetchNext() }
            var results: [(SHA256Digest, [Float])] = []
            for await result in group {
                results.append(result)
                fetchNext()
            }
            return results
        }
        for (hash, vector) in fetched { self.vectors[hash] = vector }
        return round.updates.map { self.vectors[$0.blob] ?? [] }
    }
}
