// Bit-reproducibility of aggregates: repeated calls and pinned fingerprints.

import Federation
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
            (AggregationRule.fedavg, UInt64(0x0c69_72b6_3b3b_0794)),
            (.median, 0xa674_9928_7da7_b50d),
            (.trimmedMean, 0x0171_4763_ab79_0d8c),
            (.multiKrum, 0x256f_3eac_d1e8_81fc),
            (.geometricMedian, 0x65ba_a19d_a082_06c0),
            (.centeredClipping, 0x1bb3_b17a_dc23_33bd),
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
            (AggregationRule.fedavg, UInt64(0x948f_3af3_e233_c990)),
            (.median, 0x599e_055c_130e_9109),
            (.trimmedMean, 0x27a7_269a_5d4f_b4ee),
            (.multiKrum, 0x98d2_9c13_9532_6582),
            (.geometricMedian, 0x21cb_d6b1_45f9_ca9b),
            (.centeredClipping, 0xb4e8_ed3a_0385_71ac),
        ])
    func pinnedRound(rule: AggregationRule, expected: UInt64) throws {
        let updates = Self.input().updates.enumerated().map { index, update in
            update.map { $0 * Float(index % 5 + 1) / 2 }
        }
        let actual = fingerprint(canonicalBytes(try roundAggregate(updates, rule: rule)))
        #expect(actual == expected, "\(rule): 0x\(String(actual, radix: 16))")
    }
}
