// Attack+Apply: poisoning data and forging updates.

public import Learning

import Foundation

extension Attack {
    /// `data` as this attacker trains on it: labels mapped `label → classCount − 1 − label` for
    /// ``Attack/labelFlip`` (regression targets negated); unchanged for every other attack.
    /// - Complexity: O(n) for label flipping, O(1) otherwise.
    public func poison(_ data: Dataset) -> Dataset {
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
///   - honest: the participant's honest update (for ``Attack/labelFlip``, trained on ``Attack/poison(_:)``).
///   - othersVisible: updates of other participants the attacker can read (revealed in an earlier round); used by
///     ``Attack/freeRiderReplay``, which copies one of them chosen with `seed`, and ``Attack/copycat``, which sends
///     their mean plus Gaussian noise of a tenth of its root-mean-square (zeros for both if there is none).
///   - seed: the seed of the noise and of the replay choice.
///   - configuration: the attacks' strengths.
/// - Returns: the forged delta, of the honest delta's length (a replay has the copied update's length).
/// - Complexity: O(d).
public func maliciousUpdate(
    attack: Attack,
    honest: LocalUpdate,
    othersVisible: [[Float]],
    seed: UInt64,
    configuration: AttackConfiguration = AttackConfiguration()
) -> [Float] {
    switch attack {
    case .labelFlip, .countLiar, .noReveal:
        return honest.delta
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
        guard let first = othersVisible.first else { return [Float](repeating: 0, count: honest.delta.count) }
        var mean = [Double](repeating: 0, count: first.count)
        for update in othersVisible where update.count == first.count {
            for index in mean.indices { mean[index] += Double(update[index]) / Double(othersVisible.count) }
        }
        let rms = (mean.reduce(0) { $0 + $1 * $1 } / Double(max(mean.count, 1))).squareRoot()
        var generator = Xoshiro256(seed: seed)
        let noise = gaussianNoise(count: mean.count, deviation: Float(rms / 10), using: &generator)
        return zip(mean, noise).map { Float($0) + $1 }
    }
}

// MARK: - Helpers

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
