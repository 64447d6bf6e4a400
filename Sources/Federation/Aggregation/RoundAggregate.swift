// roundAggregate and clippedToMedianNorm: the one aggregate of a round that evaluators measure and attest.

/// The round's aggregate of `updates` under the task's `rule`: what every evaluator attests as the next model's
/// step, and what it measures each update's harm against.
///
/// 1. **Norm clipping**: each update is scaled by `min(1, m / ‖u‖)`, `m` the median L2 norm of `updates`
///    (``clippedToMedianNorm(_:)``), so no update moves the aggregate further than a typical one, whatever the
///    rule.
/// 2. **The rule** with equal weights — a claimed sample count weighs nothing — and the parameters of
///    ``AggregationConfiguration/forRound(of:)``. Multi-Krum needs `n ≥ 2f + 3`; with fewer than 3 updates (where
///    `f = 0` and it would keep all `n`) it is their mean, which is what Multi-Krum selecting every update gives.
///
/// ```swift
/// let step = try roundAggregate(accepted.map { deltas[$0] }, rule: task.rule)
/// let next = try applyUpdate(step, to: global)  // canonicalBytes(next) is what evaluators hash and attest
/// ```
///
/// **Determinism:** norms and scales are computed in `Double` in index order with no FMA, each scaled value is
/// rounded to `Float` once, and the rule is ``aggregate(_:weights:rule:configuration:)``: the same updates in the
/// same order give the same bits on every CPU.
///
/// - Parameters:
///   - updates: the deltas, all of one length and finite, in the order the chain lists them.
///   - rule: the task's aggregation rule.
/// - Returns: the aggregate step, of the updates' length.
/// - Throws: `FederationError` for no updates, mismatched lengths or non-finite values.
/// - Complexity: O(n·d) for clipping, plus the rule's cost (see ``aggregate(_:weights:rule:configuration:)``).
public func roundAggregate(_ updates: [[Float]], rule: AggregationRule) throws(FederationError) -> [Float] {
    let clipped = try clippedToMedianNorm(updates)
    if rule == .multiKrum, clipped.count < 3 { return try aggregate(clipped, rule: .fedavg) }
    return try aggregate(clipped, rule: rule, configuration: .forRound(of: clipped.count))
}

/// The round's step when `accepted` of the `considered` updates made it into the aggregate: ``roundAggregate(_:rule:)``
/// of the accepted ones, scaled by `accepted.count / considered`.
///
/// An update left out — harmful, or worth nothing to the evaluators — counts as a zero step rather than vanishing,
/// which is the game evaluators valued the updates in (each coalition's share of the round's step,
/// ``EvaluationSettings/CoalitionValue/roundShare``). Renormalizing over the accepted ones instead would make the
/// step larger the more updates are left out: on non-IID data, where each owner's update pulls toward its own
/// labels, half the updates at twice the weight forget the other half's labels, and the round regresses.
///
/// - Parameters:
///   - accepted: the accepted deltas, in the chain's order.
///   - considered: how many updates the round judged (those not excluded by an anomaly), at least
///     `accepted.count`.
///   - rule: the task's aggregation rule.
/// - Throws: `FederationError` as ``roundAggregate(_:rule:)``, or ``FederationError/invalidParameter(name:reason:)``
///   when `considered` is below `accepted.count`.
public func roundAggregate(
    _ accepted: [[Float]], outOf considered: Int, rule: AggregationRule
) throws(FederationError) -> [Float] {
    guard considered >= accepted.count else {
        throw .invalidParameter(name: "considered", reason: "\(considered) is below the \(accepted.count) accepted updates")
    }
    let step = try roundAggregate(accepted, rule: rule)
    guard considered > accepted.count else { return step }
    let scale = Double(accepted.count) / Double(considered)
    return step.map { Float(Double($0) * scale) }
}

/// `updates` with every norm above the median norm scaled down to it: `u · min(1, m / ‖u‖)`.
///
/// `m` is the median of the updates' L2 norms (the mean of the two middle ones for an even count). Updates at or
/// below `m` are returned unchanged; a clipped update's norm is `m` up to the rounding of its values to `Float`.
///
/// **Determinism:** each norm is a `Double` sum of squares in coordinate order, products and additions separate;
/// the scale `m / ‖u‖` and each product are correctly rounded; one conversion to `Float` per value.
///
/// - Throws: `FederationError` as ``UpdateMatrix/init(_:)``: no updates, mismatched lengths or non-finite values.
/// - Complexity: O(n·d + n log n).
public func clippedToMedianNorm(_ updates: [[Float]]) throws(FederationError) -> [[Float]] {
    _ = try UpdateMatrix(updates)
    let norms = updates.map(euclideanNorm)
    let limit = median(norms)
    return zip(updates, norms).map { update, norm in
        guard norm > limit else { return update }
        let scale = limit / norm
        return update.map { value in Float(Double(value) * scale) }
    }
}
