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
    /// - Complexity: two validation passes per update, plus one for `candidates`; and two round aggregates per update
    ///   (see ``RoundCounterfactuals``): O(d) each under FedAvg, O(n·d) or more under the other rules.
    func harms(
        of updates: [[Float]], anomalies: [[UpdateAnomaly]], candidates: [Int], rule: AggregationRule,
        confidence: Double
    ) throws -> [(harm: Double, standardError: Double)] {
        guard !updates.isEmpty else { return [] }
        // Per update that can be evaluated: with it, without it, and with a zero in its place, as changes of the
        // clean set.
        let isCandidate = Set(candidates)
        let judged: [[RoundCounterfactuals.Change]?] = zip(updates.indices, anomalies).map { index, anomalies in
            guard !anomalies.contains(.wrongDimension), !anomalies.contains(.nonFinite) else { return nil }
            return isCandidate.contains(index)
                ? [.none, .leaveOut(index), .zeroInPlace(index)] : [.add(index), .none, .addZero(index)]
        }
        let steps = RoundCounterfactuals(
            updates: updates, dimension: self.global.count, clean: candidates, rule: rule,
            changes: [.none] + judged.compactMap { $0 }.flatMap { $0 })
        let reference = try self.exampleLosses(after: try steps.step(.none))
        let workers = max(1, min(Parallelism.threadCount, updates.count))
        let results = Mutex([Result<(harm: Double, standardError: Double), any Error>?](
            repeating: nil, count: updates.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: updates.count, by: workers) {
                let result = Result { () throws -> (harm: Double, standardError: Double) in
                    guard let changes = judged[index] else { return (self.settings.invalidPenalty, 0) }
                    let losses = try changes.map { change in
                        change == .none ? reference : try self.exampleLosses(after: try steps.step(change))
                    }
                    let measurements = [pairedDifference(losses[0], losses[1]), pairedDifference(losses[0], losses[2])]
                    return measurements.min { $0.harm - confidence * $0.standardError < $1.harm - confidence * $1.standardError }!
                }
                results.withLock { $0[index] = result }
            }
        }
        return try results.withLock { results in try results.map { try $0!.get() } }
    }

    /// The per-example validation losses of the next model when the round's aggregate is `step` (a zero aggregate
    /// for `nil`, no step: the server optimizer's momentum still moves the model), each capped at ``lossCap``.
    private func exampleLosses(after step: [Float]?) throws -> [Double] {
        var model = self.model
        if step != nil || self.parent != nil {
            try model.setFlatParameters(
                try self.nextModel(applying: step ?? [Float](repeating: 0, count: self.global.count)))
        }
        return try Self.exampleLosses(of: model, on: self.validation)
    }

    /// The per-example losses of `model` on `data`, each capped at ``lossCap``.
    static func exampleLosses(of model: Model, on data: Dataset) throws -> [Double] {
        try model.exampleLosses(on: data, batchSize: data.count).map { loss in
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
