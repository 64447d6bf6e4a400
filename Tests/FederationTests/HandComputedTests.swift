// Each aggregation rule against small cases computed by hand.

import Federation
import Testing

@Suite("Aggregation rules on hand-computed cases")
struct HandComputedTests {
    @Test("FedAvg is the sample-weighted mean")
    func fedAvg() throws {
        let updates: [[Float]] = [[1, 2], [3, 4], [5, 6]]
        #expect(try aggregate(updates, weights: [1, 1, 2], rule: .fedavg) == [3.5, 4.5])
        #expect(try aggregate(updates, rule: .fedavg) == [3, 4])
        #expect(try aggregate(updates, weights: [0, 0, 7], rule: .fedavg) == [5, 6])
    }

    @Test("Coordinate median, odd and even client counts")
    func median() throws {
        #expect(try aggregate([[1, 10], [2, -5], [100, 0]], rule: .median) == [2, 0])
        #expect(try aggregate([[1, 4, 0], [2, 3, 0], [3, 2, 1], [4, 1, 1]], rule: .median) == [2.5, 2.5, 0.5])
        // Weights are ignored by the median.
        #expect(try aggregate([[1], [2], [3]], weights: [100, 1, 1], rule: .median) == [2])
    }

    @Test("Coordinate median orders −0 before +0 whatever the client order")
    func medianSignedZero() throws {
        let a = try aggregate([[-0.0], [0.0], [0.0]], rule: .median)
        let b = try aggregate([[0.0], [0.0], [-0.0]], rule: .median)
        #expect(canonicalBytes(a) == canonicalBytes(b))
        #expect(a[0].sign == .plus)
    }

    @Test("Trimmed mean drops k from each side")
    func trimmedMean() throws {
        let updates: [[Float]] = [[1, -50], [2, 0], [3, 1], [4, 2], [100, 3]]
        #expect(try aggregate(updates, rule: .trimmedMean, configuration: .init(trimCount: 1)) == [3, 1])
        #expect(try aggregate(updates, rule: .trimmedMean, configuration: .init(trimCount: 2)) == [3, 1])
        #expect(try aggregate(updates, rule: .trimmedMean, configuration: .init(trimCount: 0)) == [22, -8.8])
    }

    @Test("Multi-Krum scores and selection")
    func multiKrum() throws {
        // n = 5, f = 1: each score sums the 2 smallest squared distances.
        // Scores: client 0 → 1+4 = 5, 1 → 1+1 = 2, 2 → 1+1 = 2, 3 → 1+4 = 5, 4 → 97²+98² = 19013.
        let updates: [[Float]] = [[0], [1], [2], [3], [100]]
        let matrix = try UpdateMatrix(updates)
        #expect(try MultiKrum.selection(matrix, byzantine: 1, selected: 5 - 1) == [1, 2, 0, 3])
        let krum = AggregationConfiguration(byzantineCount: 1, krumSelectionCount: 1)
        #expect(try aggregate(updates, rule: .multiKrum, configuration: krum) == [1])
        let three = AggregationConfiguration(byzantineCount: 1, krumSelectionCount: 3)
        #expect(try aggregate(updates, rule: .multiKrum, configuration: three) == [1])
        #expect(try aggregate(updates, rule: .multiKrum, configuration: .init(byzantineCount: 1)) == [1.5])
    }

    @Test("Geometric median of a symmetric set is its centre; in 1-D it approaches the median")
    func geometricMedian() throws {
        let square: [[Float]] = [[0, 0], [2, 0], [0, 2], [2, 2]]
        #expect(try aggregate(square, rule: .geometricMedian) == [1, 1])
        let line: [[Float]] = [[0], [1], [10]]
        let config = AggregationConfiguration(geometricMedianIterations: 200)
        let result = try aggregate(line, rule: .geometricMedian, configuration: config)
        #expect(abs(result[0] - 1) < 1e-3)
        // Zero iterations is the weighted mean.
        let none = AggregationConfiguration(geometricMedianIterations: 0)
        #expect(try aggregate(line, weights: [1, 1, 2], rule: .geometricMedian, configuration: none) == [5.25])
    }

    @Test("Centered clipping clips each client's pull to τ")
    func centeredClipping() throws {
        // From zero, τ = 1, L = 1: [3, 4] (norm 5) clips to [0.6, 0.8]; [0, 0.5] is kept. Mean: [0.3, 0.65].
        let updates: [[Float]] = [[3, 4], [0, 0.5]]
        let one = AggregationConfiguration(clippingRadius: 1, clippingIterations: 1)
        let result = try aggregate(updates, rule: .centeredClipping, configuration: one)
        #expect(maxAbsDifference(result, [0.3, 0.65]) < 1e-7)
        // A radius larger than every distance gives the weighted mean after one iteration.
        let wide = AggregationConfiguration(clippingRadius: 100, clippingIterations: 1)
        #expect(
            try aggregate(updates, weights: [1, 3], rule: .centeredClipping, configuration: wide) == [0.75, 1.375])
        // Starting at the only update leaves it there.
        let start = AggregationConfiguration(previousAggregate: [1, -1])
        #expect(try aggregate([[1, -1]], rule: .centeredClipping, configuration: start) == [1, -1])
        // Zero iterations returns the start.
        let idle = AggregationConfiguration(clippingIterations: 0, previousAggregate: [7, 8])
        #expect(try aggregate(updates, rule: .centeredClipping, configuration: idle) == [7, 8])
    }

    @Test("A single client or zero-length updates aggregate to themselves", arguments: AggregationRule.allCases)
    func trivial(rule: AggregationRule) throws {
        let config = AggregationConfiguration(trimCount: 0)
        if rule != .multiKrum && rule != .centeredClipping {
            #expect(try aggregate([[0.25, -3]], rule: rule, configuration: config) == [0.25, -3])
        }
        let empty: [[Float]] = [[], [], []]
        #expect(try aggregate(empty, rule: rule, configuration: config) == [])
    }

    @Test("canonicalBytes are little-endian IEEE-754 bit patterns")
    func canonical() {
        #expect(canonicalBytes([1, -0.0, 0x1p-149]) == [0, 0, 0x80, 0x3F, 0, 0, 0, 0x80, 1, 0, 0, 0])
        #expect(canonicalBytes([]) == [])
    }

    @Test("Rule names are frozen")
    func ruleNames() {
        #expect(
            AggregationRule.allCases.map(\.rawValue) == [
                "fedavg", "median", "trimmed_mean", "multi_krum", "geometric_median", "centered_clipping",
            ])
    }
}
