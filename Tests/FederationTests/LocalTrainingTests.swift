// Local training: what a data owner computes each round, and that FedAvg of such updates learns.

import Federation
import Learning
import Testing

@Suite("Local training produces updates that federated averaging learns from")
struct LocalTrainingTests {
    @Test("The update is trained minus global, counts the samples and is repeatable by seed")
    func updateShape() throws {
        let fixture = try RoundFixture(dataset: "breast_cancer", fractions: [0.3], warmRounds: 0)
        let data = fixture.clients[0]
        let configuration = fixture.local.seeded(5)
        let update = try trainLocalUpdate(spec: fixture.spec, global: fixture.global, data: data,
                                          configuration: configuration)
        #expect(update.sampleCount == UInt64(data.count))
        #expect(update.delta.count == fixture.global.count)
        #expect(update.trainingLoss.isFinite && update.trainingLoss > 0)
        let again = try trainLocalUpdate(spec: fixture.spec, global: fixture.global, data: data,
                                         configuration: configuration)
        #expect(again.delta == update.delta)

        var trained = try Model(spec: fixture.spec, seed: 0)
        try trained.setFlatParameters(applyUpdate(update.delta, to: fixture.global))
        var initial = trained
        try initial.setFlatParameters(fixture.global)
        #expect(try trained.evaluate(on: data).loss < initial.evaluate(on: data).loss)
    }

    @Test("Five FedAvg rounds of ten clients with the default configuration", arguments: [
        ("digits", 0.85), ("breast_cancer", 0.93),
    ])
    func federatedRounds(dataset: String, accuracy: Double) throws {
        let fixture = try RoundFixture(dataset: dataset, fractions: Array(repeating: 0.1, count: 10), warmRounds: 5)
        var model = try Model(spec: fixture.spec, seed: 0)
        try model.setFlatParameters(fixture.global)
        #expect(try model.evaluate(on: fixture.validation).accuracy >= accuracy)
    }

    @Test("Invalid inputs are errors with context")
    func invalid() throws {
        let fixture = try RoundFixture(dataset: "breast_cancer", fractions: [0.1], warmRounds: 0)
        let empty = try fixture.clients[0].subset([])
        #expect(throws: FederationError.invalidParameter(name: "data", reason: "no samples")) {
            try trainLocalUpdate(spec: fixture.spec, global: fixture.global, data: empty, configuration: fixture.local)
        }
        #expect(throws: FederationError.self) {
            try trainLocalUpdate(spec: fixture.spec, global: fixture.global, data: fixture.clients[0],
                                 configuration: LocalTrainingConfiguration(epochs: 0))
        }
        #expect(throws: LearningError.self) {
            try trainLocalUpdate(spec: fixture.spec, global: [1, 2], data: fixture.clients[0], configuration: fixture.local)
        }
        #expect(throws: FederationError.vectorCountMismatch(expected: 2, actual: 3)) {
            try applyUpdate([1, 2, 3], to: [1, 2])
        }
        #expect(try applyUpdate([0.5, -1], to: [1, 2]) == [1.5, 1])
    }
}
