// Every FederationError that aggregation can throw.

import Federation
import Testing

@Suite("Invalid input is a FederationError with context")
struct ValidationTests {
    @Test("No updates", arguments: AggregationRule.allCases)
    func noUpdates(rule: AggregationRule) {
        #expect(throws: FederationError.noUpdates) { try aggregate([], rule: rule) }
    }

    @Test("Mismatched lengths name the client")
    func dimensionMismatch() {
        #expect(throws: FederationError.dimensionMismatch(client: 2, expected: 2, actual: 3)) {
            try aggregate([[1, 2], [3, 4], [5, 6, 7]], rule: .fedavg)
        }
    }

    @Test(
        "NaN and infinities name the client and coordinate",
        arguments: [Float.nan, .infinity, -.infinity, .signalingNaN])
    func nonFinite(value: Float) {
        #expect(throws: FederationError.nonFiniteValue(client: 1, coordinate: 2)) {
            try aggregate([[0, 0, 0], [0, 0, value], [value, 0, 0]], rule: .median)
        }
    }

    @Test("Weight count must match the updates")
    func weightCount() {
        #expect(throws: FederationError.weightCountMismatch(updates: 3, weights: 2)) {
            try aggregate([[1], [2], [3]], weights: [1, 2], rule: .fedavg)
        }
    }

    @Test("Zero total weight", arguments: [AggregationRule.fedavg, .geometricMedian, .centeredClipping])
    func zeroWeight(rule: AggregationRule) {
        #expect(throws: FederationError.zeroTotalWeight) {
            try aggregate([[1], [2], [3]], weights: [0, 0, 0], rule: rule)
        }
    }

    @Test("Trimmed mean cannot trim half or more", arguments: [(2, 1 as Int), (4, 2), (5, -1), (1, 1), (5, 3)])
    func trimTooLarge(clients: Int, trim: Int) {
        let updates = [[Float]](repeating: [1], count: clients)
        #expect(throws: FederationError.trimTooLarge(trim: trim, clients: clients)) {
            try aggregate(updates, rule: .trimmedMean, configuration: .init(trimCount: trim))
        }
        if trim >= 1 {
            let fewer = AggregationConfiguration(trimCount: (clients - 1) / 2)
            #expect(throws: Never.self) { try aggregate(updates, rule: .trimmedMean, configuration: fewer) }
        }
    }

    @Test(
        "Krum parameters impossible for n",
        arguments: [(4, 1, nil as Int?), (2, 0, nil), (7, 2, 6), (7, 2, 0), (7, -1, 1)])
    func krumImpossible(clients: Int, byzantine: Int, selected: Int?) {
        let updates = (0..<clients).map { [Float($0)] }
        let config = AggregationConfiguration(byzantineCount: byzantine, krumSelectionCount: selected)
        let m = selected ?? (clients - byzantine)
        #expect(throws: FederationError.krumParametersImpossible(clients: clients, byzantine: byzantine, selected: m)) {
            try aggregate(updates, rule: .multiKrum, configuration: config)
        }
    }

    @Test("Krum's boundary n = 2f + 3 is accepted")
    func krumBoundary() throws {
        let updates = (0..<7).map { [Float($0)] }
        let config = AggregationConfiguration(byzantineCount: 2, krumSelectionCount: 5)
        #expect(try aggregate(updates, rule: .multiKrum, configuration: config).count == 1)
    }

    @Test("Geometric median and centered clipping parameters are range-checked")
    func invalidParameters() {
        let updates: [[Float]] = [[1, 2], [3, 4]]
        let cases: [(AggregationRule, AggregationConfiguration, String)] = [
            (.geometricMedian, .init(geometricMedianIterations: -1), "geometricMedianIterations"),
            (.geometricMedian, .init(geometricMedianEpsilon: 0), "geometricMedianEpsilon"),
            (.geometricMedian, .init(geometricMedianEpsilon: .nan), "geometricMedianEpsilon"),
            (.centeredClipping, .init(clippingRadius: -1), "clippingRadius"),
            (.centeredClipping, .init(clippingRadius: .infinity), "clippingRadius"),
            (.centeredClipping, .init(clippingIterations: -1), "clippingIterations"),
            (.centeredClipping, .init(previousAggregate: [1]), "previousAggregate"),
            (.centeredClipping, .init(previousAggregate: [1, .nan]), "previousAggregate"),
        ]
        for (rule, config, name) in cases {
            do {
                _ = try aggregate(updates, rule: rule, configuration: config)
                Issue.record("\(name) accepted")
            } catch {
                guard case .invalidParameter(let actual, _) = error else {
                    Issue.record("unexpected \(error)")
                    continue
                }
                #expect(actual == name)
            }
        }
    }

    @Test("Rules called directly check their weights against the matrix")
    func directWeights() throws {
        let matrix = try UpdateMatrix([[1], [2], [3]])
        let two = ClientWeights(uniform: 2)
        let expected = FederationError.weightCountMismatch(updates: 3, weights: 2)
        #expect(throws: expected) { try FedAvg.aggregate(matrix, weights: two) }
        #expect(throws: expected) {
            try GeometricMedian.aggregate(matrix, weights: two, iterations: 1, epsilon: 1e-6)
        }
        #expect(throws: expected) {
            try CenteredClipping.aggregate(matrix, weights: two, start: nil, radius: 1, iterations: 1)
        }
    }

    @Test("UpdateMatrix validates on its own")
    func matrix() throws {
        #expect(throws: FederationError.noUpdates) { try UpdateMatrix([]) }
        let matrix = try UpdateMatrix([[1, 2], [3, 4]])
        #expect(matrix.clientCount == 2 && matrix.dimension == 2)
        #expect(matrix[1, 0] == 3 && matrix.row(1) == [3, 4])
    }
}
