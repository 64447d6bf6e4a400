// Bit-reproducibility of aggregates: repeated calls and pinned fingerprints.

import Federation
import Learning
import Testing

@Suite("Aggregates are bit-reproducible")
struct DeterminismTests {
    static func input() -> (updates: [[Float]], weights: [UInt64]) {
        // Built from integers only, not `Float.random`, whose algorithm the standard library may change.
        var rng = SplitMix64(seed: 0xDEA1)
        let updates = (0..<13).map { _ in
            (0..<257).map { _ in Float(Int64(rng.next() >> 40) - (1 << 23)) * 0x1p-23 }
        }
        let weights = (0..<13).map { _ in rng.next() % 5000 + 1 }
        return (updates, weights)
    }

    static let configuration = AggregationConfiguration(
        trimCount: 2, byzantineCount: 3, krumSelectionCount: 6, previousAggregate: [Float](repeating: 0.01, count: 257))

    @Test("Repeated calls give identical canonical bytes", arguments: AggregationRule.allCases)
    func repeated(rule: AggregationRule) throws {
        let (updates, weights) = Self.input()
        let first = try canonicalBytes(
            aggregate(updates, weights: weights, rule: rule, configuration: Self.configuration))
        for _ in 0..<3 {
            let again = try aggregate(updates, weights: weights, rule: rule, configuration: Self.configuration)
            #expect(canonicalBytes(again) == first)
        }
        #expect(first.count == 257 * 4)
    }

    /// Fingerprints of the canonical bytes, pinned: a change means the aggregate's bits changed, which breaks
    /// agreement between nodes running different versions. The same values must come out on every CPU
    /// (x86-64 with or without AVX-512, arm64).
    @Test(
        "Pinned fingerprints of each rule's aggregate",
        arguments: [
            (AggregationRule.fedavg, UInt64(0x74c5_855f_91b0_2e35)),
            (.median, 0x3aa1_f960_d482_e1be),
            (.trimmedMean, 0xd7c3_939d_22fd_1250),
            (.multiKrum, 0x8d75_7c9a_ca27_246e),
            (.geometricMedian, 0x88d1_675d_e96f_c006),
            (.centeredClipping, 0xf484_062c_acd6_7ed3),
        ])
    func pinned(rule: AggregationRule, expected: UInt64) throws {
        let (updates, weights) = Self.input()
        let result = try aggregate(updates, weights: weights, rule: rule, configuration: Self.configuration)
        let actual = fingerprint(canonicalBytes(result))
        #expect(actual == expected, "\(rule): 0x\(String(actual, radix: 16))")
    }

    /// Round aggregates of updates whose norms differ (½× to 2.5×), so that clipping scales the larger ones,
    /// pinned like the rules' aggregates above.
    @Test(
        "Pinned fingerprints of each rule's round aggregate",
        arguments: [
            (AggregationRule.fedavg, UInt64(0xac4d_28c0_8021_c199)),
            (.median, 0xf483_cdcb_f8c5_2903),
            (.trimmedMean, 0x8f77_1ea3_d665_d3de),
            (.multiKrum, 0x8df7_06d4_3e43_49b2),
            (.geometricMedian, 0x8f69_3aaa_4aae_24dd),
            (.centeredClipping, 0x7c4b_b6c5_4c6c_71cd),
        ])
    func pinnedRound(rule: AggregationRule, expected: UInt64) throws {
        let updates = Self.input().updates.enumerated().map { index, update in
            update.map { $0 * Float(index % 5 + 1) / 2 }
        }
        let actual = fingerprint(canonicalBytes(try roundAggregate(updates, rule: rule)))
        #expect(actual == expected, "\(rule): 0x\(String(actual, radix: 16))")
    }
}
