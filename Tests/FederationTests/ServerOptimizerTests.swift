// ServerOptimizer: FedAvg and FedAvgM steps from the lineage, with the same bits everywhere.

import Federation
import Testing

@Suite("The server optimizer moves the global model from the round's aggregate and the lineage")
struct ServerOptimizerTests {
    @Test("plain FedAvg is the aggregate added to the global model, parent or not")
    func plain() throws {
        let global: [Float] = [1, -2, 0.5]
        let aggregate: [Float] = [0.25, 0.5, -1]
        let plain = ServerOptimizer()
        #expect(try plain.nextModel(global: global, aggregate: aggregate, parent: nil) == [1.25, -1.5, -0.5])
        #expect(try plain.nextModel(global: global, aggregate: aggregate, parent: [9, 9, 9]) == [1.25, -1.5, -0.5])
    }

    @Test("FedAvgM adds the momentum of the last step: w + η·A + β·(w − parent)")
    func momentum() throws {
        let optimizer = ServerOptimizer(learningRate: 0.5, momentum: 0.5)
        let next = try optimizer.nextModel(global: [1, 2], aggregate: [2, -4], parent: [0, 4])
        let expected: [Float] = [2.5, -1]  // 1 + 0.5·2 + 0.5·(1 − 0), 2 + 0.5·(−4) + 0.5·(2 − 4)
        #expect(next == expected)
        // The first version has no parent: no momentum yet.
        #expect(try optimizer.nextModel(global: [1, 2], aggregate: [2, -4], parent: nil) == [2, 0])
    }

    @Test("vectors of another length and settings out of range are refused")
    func refusals() {
        #expect(throws: FederationError.self) {
            try ServerOptimizer().nextModel(global: [1, 2], aggregate: [1], parent: nil)
        }
        #expect(throws: FederationError.self) {
            try ServerOptimizer(momentum: 0.5).nextModel(global: [1, 2], aggregate: [1, 1], parent: [1])
        }
        for bad in [ServerOptimizer(learningRate: 0), ServerOptimizer(momentum: 1), ServerOptimizer(momentum: -0.1)] {
            #expect(throws: FederationError.self) { try bad.validate() }
        }
    }
}
