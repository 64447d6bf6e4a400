// Where a participant's compute time goes: local training, scoring, aggregation.

/// The compute steps of a round that a participant times.
public enum ParticipantWork: String, Sendable, Hashable, Codable, CaseIterable {
    /// A data owner making its update (local training for an honest owner).
    case localTraining = "local_training"
    /// An evaluator scoring the round's updates.
    case scoring
    /// An evaluator aggregating the accepted updates and evaluating the next model.
    case aggregation
}

/// Told how long each compute step of a role took, so that benchmarks and progress reports can tell the
/// protocol's overhead (requests, blocks, blobs) from the work itself.
///
/// Observers are instrumentation of the process that runs the roles; they never carry data between
/// participants.
public protocol WorkObserver: Sendable {
    /// `work` for round `round` of task `taskID` took `duration` of wall-clock time.
    func finished(_ work: ParticipantWork, taskID: UInt64, round: UInt32, duration: Duration) async
}

extension Optional where Wrapped == any WorkObserver {
    /// Runs `body`, tells the observer (if any) how long it took, and returns its result.
    func timing<Result>(
        _ work: ParticipantWork, taskID: UInt64, round: UInt32, _ body: () async throws -> Result
    ) async rethrows -> Result {
        guard let observer = self else { return try await body() }
        let clock = ContinuousClock()
        let started = clock.now
        let result = try await body()
        await observer.finished(work, taskID: taskID, round: round, duration: clock.now - started)
        return result
    }
}
