// Attack+Apply: poisoning data and forging updates.

public import Learning

import Foundation

extension Attack {
    /// `data` as this attacker trains on it: labels mapped `label → classCount − 1 − label` for
    /// ``Attack/labelFlip`` (regression targets negated); part of the samples triggered and relabelled by
    /// ``BackdoorTrigger/poisoned(_:)`` for ``Attack/backdoor`` with `configuration`'s trigger; unchanged for every
    /// other attack.
    /// - Complexity: O(n) for label flipping, O(n × sample size) for a backdoor, O(1) otherwise.
    public func poison(_ data: Dataset, configuration: AttackConfiguration = AttackConfiguration()) -> Dataset {
        if self == .backdoor { return configuration.backdoor.poisoned(data) }
        guard self == .labelFlip else { return data }
        var poisoned = data
        if data.classCount > 0, !data.labels.isEmpty {
            poisoned.labels = data.labels.map { data.classCount - 1 - $0 }
            poisoned.targets = poisoned.labels.map(Float.init)
        } else {
            poisoned.targets = data.targets.map { -$0 }
        }
        return poisoned
    }
}

/// The delta a Byzantine participant sends.
///
/// - Parameters:
///   - attack: the behaviour.
///   - honest: the participant's honest update (for a data attack, trained on ``Attack/poison(_:configuration:)``).
///   - othersVisible: updates of other participants the attacker can read (revealed in an earlier round); used by
///     ``Attack/freeRiderReplay``, which copies one of them chosen with `seed`, and ``Attack/copycat``, which sends
///     their mean plus Gaussian noise of ``AttackConfiguration/copycatNoise`` times its root-mean-square (zeros for
///     both if there is none).
///   - colluders: the honest updates of this round of every colluder, this one included, in an order all of them
///     share; used by ``Attack/alie`` (``littleIsEnough(_:deviations:)``) and ``Attack/ipm``
///     (``innerProductManipulation(_:epsilon:)``), taken as `[honest.delta]` when empty. Colluders forge the same
///     vector, and the chain keeps only the first of identical blobs, so each adds Gaussian noise of
///     ``colluderJitter`` times the vector's root-mean-square, drawn with its own `seed`: different bits, the
///     same attack.
///   - seed: the seed of the noise and of the replay choice.
///   - configuration: the attacks' strengths.
/// - Returns: the forged delta, of the honest delta's length (a replay has the copied update's length).
/// - Complexity: O(d) — O(c × d) for `c` colluders.
public func maliciousUpdate(
    attack: Attack,
    honest: LocalUpdate,
    othersVisible: [[Float]],
    colluders: [[Float]] = [],
    seed: UInt64,
    configuration: AttackConfiguration = AttackConfiguration()
) -> [Float] {
    switch attack {
    case .labelFlip, .countLiar, .noReveal, .backdoor, .sybil:
        return honest.delta
    case .alie, .ipm:
        let pooled = colluders.isEmpty ? [honest.delta] : colluders
        let forged = attack == .alie
            ? littleIsEnough(pooled, deviations: configuration.alieDeviations)
            : innerProductManipulation(pooled, epsilon: configuration.ipmEpsilon)
        return jittered(forged, relativeDeviation: colluderJitter, seed: seed)
    case .signFlip:
        return honest.delta.map { -configuration.signFlipScale * $0 }
    case .boosted:
        return honest.delta.map { configuration.boostFactor * $0 }
    case .freeRiderZeros:
        return [Float](repeating: 0, count: honest.delta.count)
    case .gaussianNoise:
        var generator = Xoshiro256(seed: seed)
        return gaussianNoise(count: honest.delta.count, deviation: configuration.noiseStandardDeviation,
                             using: &generator)
    case .freeRiderReplay:
        guard !othersVisible.isEmpty else { return [Float](repeating: 0, count: honest.delta.count) }
        var generator = Xoshiro256(seed: seed)
        return othersVisible[Int(generator.next() % UInt64(othersVisible.count))]
    case .copycat:
        guard !othersVisible.isEmpty else { return [Float](repeating: 0, count: honest.delta.count) }
        return jittered(coordinateMoments(othersVisible).mean.map { Float($0) },
                        relativeDeviation: configuration.copycatNoise, seed: seed)
    }
}

/// How much noise each colluder adds to the vector the coalition forged, relative to its root-mean-square: enough
/// to change its bits, far too little to change what it does.
public let colluderJitter: Float = 1e-4

/// "A little is enough" (Baruch, Baruch and Goldberg 2019): the coordinate-wise `mean − z × std` of `updates`,
/// with the population standard deviation (divided by the number of updates). The shift lies within the spread of
/// the updates on every coordinate, so distance- and median-based defences keep it, yet every coordinate moves the
/// same way.
///
/// With `[[1, 2], [3, 2]]` and `z = 1`: mean `[2, 2]`, std `[1, 0]`, result `[1, 2]`.
/// - Parameters:
///   - updates: the colluders' honest updates (any of another length than the first's is left out).
///   - deviations: `z`, how many standard deviations below the mean.
/// - Returns: the forged delta; empty for no updates.
/// - Complexity: O(c × d) for `c` updates of `d` coordinates.
public func littleIsEnough(_ updates: [[Float]], deviations: Float) -> [Float] {
    let moments = coordinateMoments(updates)
    return zip(moments.mean, moments.deviation).map { Float($0 - Double(deviations) * $1) }
}

/// Inner-product manipulation (Xie, Koyejo and Gupta 2020): `−ε ×` the coordinate-wise mean of `updates`. A small
/// ε shrinks the aggregate's inner product with the true descent direction; a large one reverses it.
///
/// With `[[1, 2], [3, 2]]` and `ε = 0.5`: `[−1, −1]`.
/// - Parameters:
///   - updates: the colluders' honest updates (any of another length than the first's is left out).
///   - epsilon: ε.
/// - Returns: the forged delta; empty for no updates.
/// - Complexity: O(c × d) for `c` updates of `d` coordinates.
public func innerProductManipulation(_ updates: [[Float]], epsilon: Float) -> [Float] {
    coordinateMoments(updates).mean.map { Float(-Double(epsilon) * $0) }
}

// MARK: - Helpers

/// The coordinate-wise mean and population standard deviation (in `Double`) of the updates of the first's length.
private func coordinateMoments(_ updates: [[Float]]) -> (mean: [Double], deviation: [Double]) {
    guard let first = updates.first else { return ([], []) }
    let updates = updates.filter { $0.count == first.count }
    let count = Double(updates.count)
    var mean = [Double](repeating: 0, count: first.count)
    for update in updates {
        for index in mean.indices { mean[index] += Double(update[index]) / count }
    }
    var variance = [Double](repeating: 0, count: first.count)
    for update in updates {
        for index in variance.indices {
            let difference = Double(update[index]) - mean[index]
            variance[index] += difference * difference / count
        }
    }
    return (mean, variance.map { $0.squareRoot() })
}

/// `vector` plus Gaussian noise of `relativeDeviation` times its root-mean-square, drawn from `seed`.
private func jittered(_ vector: [Float], relativeDeviation: Float, seed: UInt64) -> [Float] {
    let rms = (vector.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(vector.count, 1))).squareRoot()
    var generator = Xoshiro256(seed: seed)
    let noise = gaussianNoise(count: vector.count, deviation: Float(rms) * relativeDeviation, using: &generator)
    return zip(vector, noise).map { $0 + $1 }
}

/// `count` samples of `N(0, deviation²)` (Box–Muller on 53-bit uniforms).
private func gaussianNoise(count: Int, deviation: Float, using generator: inout Xoshiro256) -> [Float] {
    var values: [Float] = []
    values.reserveCapacity(count)
    while values.count < count {
        let u1 = (Double(generator.next() >> 11) + 1) * 0x1p-53  // (0, 1]
        let u2 = Double(generator.next() >> 11) * 0x1p-53
        let radius = (-2 * Foundation.log(u1)).squareRoot() * Double(deviation)
        values.append(Float(radius * Foundation.cos(2 * Double.pi * u2)))
        if values.count < count { values.append(Float(radius * Foundation.sin(2 * Double.pi * u2))) }
    }
    return values
}
