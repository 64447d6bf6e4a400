// UpdateEvaluator+Harm: each update's paired effect on the per-example validation loss of the round's aggregate.

internal import Dispatch
internal import Learning
internal import Synchronization

extension UpdateEvaluator {
    /// The harm of each update and its standard error, in nats (see ``score(updates:rule:confidence:earlier:)``), the
    /// updates shared out among `Parallelism.threadCount` threads; each measurement runs on one thread in a fixed
    /// order, so the result does not depend on the thread count.
    ///
    /// Each update is measured against two ways of doing without it — the aggregate of the others alone, and the
    /// aggregate with a zero update (a free rider's) in its place — and the measurement whose evidence
    /// `harm − confidence × error` is lower is kept: an update is harmful only if the model is worse with it than
    /// both without it and with nothing in its place. Leaving an update out renormalizes the others' weights, so a
    /// weaker-than-average honest update alone would measure harmful; replacing it by zeros keeps the weights, so
    /// an honest update in a round whose step overshoots alone would.
    ///
    /// - Parameter candidates: the indices of the clean updates, ascending.
    /// - Throws: the first error, in update order.
    /// - Complexity: two ``roundAggregate(_:rule:)`` and two validation passes per update, plus one for `candidates`.
    func harms(
        of updates: [[Float]], anomalies: [[UpdateAnomaly]], candidates: [Int], rule: AggregationRule,
        confidence: Double
    ) throws -> [(harm: Double, standardError: Double)] {
        guard !updates.isEmpty else { return [] }
        let reference = try self.exampleLosses(of: candidates.map { updates[$0] }, rule: rule)
        let isCandidate = Set(candidates)
        let workers = max(1, min(Parallelism.threadCount, updates.count))
        let results = Mutex([Result<(harm: Double, standardError: Double), any Error>?](
            repeating: nil, count: updates.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: updates.count, by: workers) {
                let result = Result { () throws -> (harm: Double, standardError: Double) in
                    if anomalies[index].contains(.wrongDimension) || anomalies[index].contains(.nonFinite) {
                        return (self.settings.invalidPenalty, 0)
                    }
                    let zero = [Float](repeating: 0, count: updates[index].count)
                    let others = candidates.filter { $0 != index }
                    let before = others.filter { $0 < index }.map { updates[$0] }
                    let after = others.filter { $0 > index }.map { updates[$0] }
                    let with = isCandidate.contains(index)
                        ? reference : try self.exampleLosses(of: before + [updates[index]] + after, rule: rule)
                    let left = try self.exampleLosses(of: before + after, rule: rule)
                    let replaced = try self.exampleLosses(of: before + [zero] + after, rule: rule)
                    let measurements = [pairedDifference(with, left), pairedDifference(with, replaced)]
                    return measurements.min { $0.harm - confidence * $0.standardError < $1.harm - confidence * $1.standardError }!
                }
                results.withLock { $0[index] = result }
            }
        }
        return try results.withLock { results in try results.map { try $0!.get() } }
    }

    /// The per-example validation losses of the next model when the round's aggregate is `roundAggregate(steps)`
    /// (a zero aggregate for no steps: the server optimizer's momentum still moves the model), each capped at
    /// ``lossCap``.
    private func exampleLosses(of steps: [[Float]], rule: AggregationRule) throws -> [Double] {
        var model = self.model
        let step = steps.isEmpty ? [Float](repeating: 0, count: self.global.count) : try roundAggregate(steps, rule: rule)
        if !steps.isEmpty || self.parent != nil {
            try model.setFlatParameters(try self.nextModel(applying: step))
        }
        return try model.exampleLosses(on: self.validation, batchSize: self.validation.count).map { loss in
            loss.isFinite ? min(loss, Self.lossCap) : Self.lossCap
        }
    }
}

/// The mean of `with[k] − without[k]` and its standard error (the sample standard deviation over `√n`, 0 for one
/// pair), both accumulated in `Double` in index order.
func pairedDifference(_ with: [Double], _ without: [Double]) -> (harm: Double, standardError: Double) {
    let count = Double(with.count)
    var sum = 0.0
    for k in with.indices { sum += with[k] - without[k] }
    let mean = sum / count
    guard with.count > 1 else { return (mean, 0) }
    var squares = 0.0
    for k in with.indices {
        let deviation = with[k] - without[k] - mean
        squares += deviation * deviation
    }
    return (mean, (squares / (count - 1)).squareRoot() / count.squareRoot())
}
