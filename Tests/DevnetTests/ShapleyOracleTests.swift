// Tests of the devnet's independent Shapley oracle: the Shapley axioms on a real round, and sampling against exact.

import Devnet
import Federation
import Learning
import Testing

@Suite("Devnet Shapley oracle")
struct ShapleyOracleTests {
    /// A round on breast cancer: three owners' real updates from the initial model, a copy of the first, and the
    /// first with its sign flipped.
    static func round() throws -> (oracle: ShapleyOracle, base: [Float], updates: [[Float]]) {
        let data = try DevnetDataset.breastCancer.load()
        let spec = try DevnetDataset.breastCancer.defaultModelSpec()
        let partition = try DataPartition.make(data: data, owners: 3, evaluators: 1, nonIID: false, seed: 5)
        let base = try Model(spec: spec, seed: 2).flatParameters
        var updates: [[Float]] = []
        for shard in partition.owners {
            var model = try Model(spec: spec, seed: 2)
            try model.train(on: shard, configuration: TrainingConfiguration(epochs: 1, batchSize: 32))
            updates.append(zip(model.flatParameters, base).map { $0 - $1 })
        }
        updates.append(updates[0])
        updates.append(updates[0].map { -$0 })
        return (ShapleyOracle(spec: spec, heldOut: data.test), base, updates)
    }

    @Test("exact values add up to the grand coalition's worth, copies are worth the same, a flipped update is harmful")
    func axioms() throws {
        let (oracle, base, updates) = try Self.round()
        let values = try oracle.values(base: base, updates: updates)
        var model = try Model(spec: oracle.spec, seed: 0)
        try model.setFlatParameters(base)
        let before = try model.evaluate(on: oracle.heldOut).loss
        let mean = (0..<base.count).map { index in updates.reduce(Float(0)) { $0 + $1[index] } / Float(updates.count) }
        // The grand coalition's worth is the whole FedAvg step's gain.
        try model.setFlatParameters(zip(base, mean).map { $0 + $1 })
        let grand = before - (try model.evaluate(on: oracle.heldOut).loss)
        #expect(abs(values.reduce(0, +) - grand) < 1e-9)
        #expect(abs(values[0] - values[3]) < 1e-9)
        #expect(values[0...2].allSatisfy { $0 > 0 }, "\(values)")
        #expect(values[4] < 0, "\(values)")
    }

    @Test("sampled orders rank the players as the exact values do")
    func sampledMatchesExact() throws {
        let (exact, base, updates) = try Self.round()
        var sampled = exact
        sampled.exactLimit = 0
        sampled.permutations = 200
        let exactValues = try exact.values(base: base, updates: updates)
        let sampledValues = try sampled.values(base: base, updates: updates)
        #expect(abs(sampledValues.reduce(0, +) - exactValues.reduce(0, +)) < 1e-6)
        #expect(spearmanCorrelation(sampledValues, exactValues) >= 0.9, "\(sampledValues) vs \(exactValues)")
        #expect(try sampled.values(base: base, updates: updates) == sampledValues)
    }
}
