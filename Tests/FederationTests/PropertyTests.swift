// Permutation invariance and robustness bounds of the aggregation rules, over seeded random inputs.

import Federation
import Learning
import Testing

@Suite("Aggregation properties over seeded random inputs")
struct PropertyTests {
    static let seeds: [UInt64] = [1, 2, 3, 42, 2026]

    /// A seeded random permutation of `0..<count`.
    static func permutation(_ count: Int, using generator: inout SplitMix64) -> [Int] {
        Array(0..<count).shuffled(using: &generator)
    }

    @Test(
        "Median, trimmed mean and Krum's selection are exactly permutation-invariant; FedAvg within 1e-6",
        arguments: seeds)
    func permutationInvariance(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let n = 11
        let updates = rng.updates(count: n, dimension: 17)
        let weights = (0..<n).map { _ in UInt64.random(in: 1...1000, using: &rng) }
        let order = Self.permutation(n, using: &rng)
        let permuted = order.map { updates[$0] }
        let permutedWeights = order.map { weights[$0] }

        for rule in [AggregationRule.median, .trimmedMean] {
            let config = AggregationConfiguration(trimCount: 3)
            let a = try aggregate(updates, rule: rule, configuration: config)
            let b = try aggregate(permuted, rule: rule, configuration: config)
            #expect(canonicalBytes(a) == canonicalBytes(b), "\(rule) seed \(seed)")
        }

        let original = try MultiKrum.selection(UpdateMatrix(updates), byzantine: 3, selected: 5)
        let shuffled = try MultiKrum.selection(UpdateMatrix(permuted), byzantine: 3, selected: 5)
        #expect(shuffled.map { order[$0] } == original, "seed \(seed)")
        let krum = AggregationConfiguration(byzantineCount: 3, krumSelectionCount: 1)
        #expect(
            try canonicalBytes(aggregate(updates, rule: .multiKrum, configuration: krum))
                == canonicalBytes(aggregate(permuted, rule: .multiKrum, configuration: krum)))

        let avg = try aggregate(updates, weights: weights, rule: .fedavg)
        let permutedAvg = try aggregate(permuted, weights: permutedWeights, rule: .fedavg)
        #expect(maxAbsDifference(avg, permutedAvg) <= 1e-6, "seed \(seed)")
    }

    @Test(
        "Median and trimmed mean stay within the honest range against a minority of huge values",
        arguments: seeds)
    func coordinateRobustness(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let honest = rng.updates(count: 7, dimension: 9)
        let attackers: [[Float]] = (0..<3).map { k in
            (0..<9).map { j in (k + j) % 2 == 0 ? 1e30 : -1e30 }
        }
        var updates = honest + attackers
        updates.shuffle(using: &rng)
        let median = try aggregate(updates, rule: .median)
        let trimmed = try aggregate(updates, rule: .trimmedMean, configuration: .init(trimCount: 3))
        for j in 0..<9 {
            let column = honest.map { $0[j] }
            let range = column.min()!...column.max()!
            #expect(range.contains(median[j]), "median coordinate \(j) seed \(seed)")
            #expect(range.contains(trimmed[j]), "trimmed mean coordinate \(j) seed \(seed)")
        }
    }

    @Test("Krum and Multi-Krum never select an obvious outlier", arguments: seeds)
    func krumRejectsOutliers(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let honest = rng.updates(count: 10, dimension: 8)
        let outliers = rng.updates(count: 2, dimension: 8, in: 500...1000)
        var updates = honest + outliers
        let order = Self.permutation(updates.count, using: &rng)
        updates = order.map { updates[$0] }
        let matrix = try UpdateMatrix(updates)
        for selected in [1, 5, 10] {
            let chosen = try MultiKrum.selection(matrix, byzantine: 2, selected: selected)
            #expect(chosen.count == selected)
            #expect(chosen.allSatisfy { order[$0] < 10 }, "selected \(selected) seed \(seed)")
        }
    }

    @Test(
        "Geometric median and centered clipping barely move under one huge outlier; FedAvg moves far",
        arguments: seeds)
    func smoothRulesResistOutlier(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let honest = rng.updates(count: 9, dimension: 10, in: -0.5...0.5)
        let outlier = [Float](repeating: 1e4, count: 10)
        let clean = try aggregate(honest, rule: .fedavg)
        for rule in [AggregationRule.fedavg, .geometricMedian, .centeredClipping] {
            let reference = try aggregate(honest, rule: rule)
            let attacked = try aggregate(honest + [outlier], rule: rule)
            let shift = distance(attacked, reference)
            switch rule {
            case .fedavg:
                #expect(shift > 1000, "seed \(seed)")
            default:
                // One of ten clients can pull by at most about τ/n per iteration (clipping) or O(spread) (median).
                #expect(shift < 0.5, "\(rule) seed \(seed): shift \(shift)")
                #expect(distance(attacked, clean) < 1, "\(rule) seed \(seed)")
            }
        }
    }
}
