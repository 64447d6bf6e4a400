// roundAggregate: median-norm clipping, then the task's rule with equal weights and the round's parameters.

import Federation
import Learning
import Testing

@Suite("The round aggregate clips to the median norm, then applies the task's rule")
struct RoundAggregateTests {
    static let seeds: [UInt64] = [1, 2, 3, 42, 2026]

    /// `count` updates of `dimension` values whose norms differ by up to 40×.
    static func updates(count: Int, dimension: Int, using rng: inout SplitMix64) -> [[Float]] {
        rng.updates(count: count, dimension: dimension).map { update in
            let scale = Float.random(in: 0.05...2, using: &rng)
            return update.map { $0 * scale }
        }
    }

    @Test("Updates above the median norm are scaled down to it; the others are kept bit for bit", arguments: seeds)
    func clippingBound(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        for count in [1, 2, 7, 10] {
            let updates = Self.updates(count: count, dimension: 33, using: &rng)
            let norms = updates.map { distance($0, [Float](repeating: 0, count: 33)) }
            let sorted = norms.sorted()
            let limit = (sorted[(count - 1) / 2] + sorted[count / 2]) / 2
            let clipped = try clippedToMedianNorm(updates)
            for (index, update) in updates.enumerated() {
                let norm = distance(clipped[index], [Float](repeating: 0, count: 33))
                #expect(norm <= limit * (1 + 1e-6), "seed \(seed), \(count) updates, update \(index)")
                if norms[index] <= limit {
                    #expect(clipped[index] == update)
                } else {
                    #expect(abs(norm - limit) <= limit * 1e-6)
                    let scale = Float(limit / norms[index])
                    #expect(maxAbsDifference(clipped[index], update.map { $0 * scale }) < 1e-6)
                }
            }
            // The mean of vectors no longer than the median norm is no longer than it either.
            let mean = try roundAggregate(updates, rule: .fedavg)
            #expect(distance(mean, [Float](repeating: 0, count: 33)) <= limit * (1 + 1e-6))
        }
    }

    @Test("Median and trimmed mean ignore the order of the updates bit for bit; the other rules to 1e-6",
          arguments: seeds)
    func permutation(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let updates = Self.updates(count: 11, dimension: 17, using: &rng)
        let shuffled = updates.shuffled(using: &rng)
        for rule in AggregationRule.allCases {
            let a = try roundAggregate(updates, rule: rule)
            let b = try roundAggregate(shuffled, rule: rule)
            if rule == .median || rule == .trimmedMean {
                #expect(canonicalBytes(a) == canonicalBytes(b), "\(rule) seed \(seed)")
            } else {
                #expect(maxAbsDifference(a, b) < 1e-6, "\(rule) seed \(seed)")
            }
        }
    }

    @Test("The rule runs on the clipped updates with equal weights and the round's parameters", arguments: seeds)
    func ruleParameters(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let updates = Self.updates(count: 10, dimension: 9, using: &rng)
        let clipped = try clippedToMedianNorm(updates)
        for rule in AggregationRule.allCases {
            let expected = try aggregate(clipped, rule: rule, configuration: .forRound(of: 10))
            #expect(try roundAggregate(updates, rule: rule) == expected, "\(rule)")
        }
        let trims = [1, 4, 5, 9, 10, 100].map { AggregationConfiguration.forRound(of: $0).trimCount }
        #expect(trims == [0, 0, 1, 1, 2, 20])
        #expect(AggregationConfiguration.forRound(of: 14).byzantineCount == 2)
    }

    @Test("Every rule aggregates a round of one to four updates; Multi-Krum below three is the mean")
    func smallRounds() throws {
        var rng = SplitMix64(seed: 7)
        for count in 1...4 {
            let updates = Self.updates(count: count, dimension: 5, using: &rng)
            for rule in AggregationRule.allCases {
                #expect(try roundAggregate(updates, rule: rule).count == 5, "\(rule), \(count) updates")
            }
        }
        // Norms 1 and 3: the median norm is 2, so [0, 3] is clipped to [0, 2]; the mean is [0.5, 1].
        #expect(try roundAggregate([[1, 0], [0, 3]], rule: .multiKrum) == [0.5, 1])
        #expect(try roundAggregate([[0.25, -3]], rule: .multiKrum) == [0.25, -3])
    }

    @Test("Invalid rounds are FederationErrors")
    func invalid() {
        #expect(throws: FederationError.noUpdates) { try roundAggregate([], rule: .fedavg) }
        #expect(throws: FederationError.dimensionMismatch(client: 1, expected: 2, actual: 1)) {
            try roundAggregate([[1, 2], [3]], rule: .median)
        }
        #expect(throws: FederationError.nonFiniteValue(client: 0, coordinate: 1)) {
            try clippedToMedianNorm([[1, .nan]])
        }
    }
}
