// Tests of the centralized baseline and of measuring a flat parameter vector.

import Devnet
import Learning
import Testing

@Suite("Devnet centralized baseline")
struct CentralizedBaselineTests {
    @Test("the baseline reaches the published accuracy range", arguments: [
        (DevnetDataset.breastCancer, 0.93), (.digits, 0.90),
    ])
    func reachesAccuracy(dataset: DevnetDataset, minimum: Double) throws {
        let data = try dataset.load()
        let partition = try DataPartition.make(data: data, owners: 4, evaluators: 2, nonIID: false, seed: 1)
        var reported: [Int] = []
        let accuracies = try centralizedBaseline(data: data, partition: partition, rounds: 5) { round, _ in
            reported.append(round)
        }
        #expect(reported == [1, 2, 3, 4, 5])
        #expect(accuracies.count == 5)
        #expect(accuracies.last! >= minimum, "\(dataset): \(accuracies)")
    }

    @Test("the baseline is repeatable")
    func repeatable() throws {
        let data = try DevnetDataset.digits.load()
        let partition = try DataPartition.make(data: data, owners: 4, evaluators: 2, nonIID: true, seed: 1)
        let first = try centralizedBaseline(data: data, partition: partition, rounds: 2, modelSeed: 3)
        let again = try centralizedBaseline(data: data, partition: partition, rounds: 2, modelSeed: 3)
        #expect(first == again)
    }

    @Test("testAccuracy of a flat vector matches evaluating the model")
    func flatAccuracy() throws {
        let data = try DevnetDataset.breastCancer.load()
        let spec = try DevnetDataset.breastCancer.defaultModelSpec()
        var model = try Model(spec: spec, seed: 4)
        try model.train(on: data.train, configuration: DevnetDataset.breastCancer.localTraining)
        let expected = try model.evaluate(on: data.test).accuracy
        #expect(try testAccuracy(of: model.flatParameters, spec: spec, data: data) == expected)
        #expect(expected >= 0.93)
        #expect(throws: DevnetDataError.parameterCountMismatch(expected: 62, actual: 3)) {
            try testAccuracy(of: [1, 2, 3], spec: spec, data: data)
        }
    }

    @Test("zero rounds is an error")
    func zeroRounds() throws {
        let data = try DevnetDataset.breastCancer.load()
        let partition = try DataPartition.make(data: data, owners: 2, evaluators: 1, nonIID: false, seed: 1)
        let expected = DevnetDataError.invalidArgument(name: "rounds", value: "0", reason: "need at least one round")
        #expect(throws: expected) {
            try centralizedBaseline(data: data, partition: partition, rounds: 0)
        }
    }
}
