// ALIE and IPM: what colluders forge from their own honest updates.

import Federation
import Testing

@Suite("Colluding attacks forge from the coalition's honest updates")
struct CollusionAttackTests {
    /// Per coordinate: mean 2, 2, 0; population standard deviation 1, 0, 2.
    static let colluders: [[Float]] = [[1, 2, 2], [3, 2, -2], [1, 2, 2], [3, 2, -2]]

    @Test("ALIE is mean − z·std per coordinate, with the population deviation")
    func littleIsEnoughByHand() {
        #expect(littleIsEnough(Self.colluders, deviations: 1) == [1, 2, -2])
        #expect(littleIsEnough(Self.colluders, deviations: 1.5) == [0.5, 2, -3])
        #expect(littleIsEnough(Self.colluders, deviations: 0) == [2, 2, 0])
        #expect(littleIsEnough([[1, 2], [3, 2]], deviations: 1) == [1, 2])
        #expect(littleIsEnough([[4, -1]], deviations: 3) == [4, -1])
        #expect(littleIsEnough([], deviations: 1).isEmpty)
        // An update of another length than the first's is left out.
        #expect(littleIsEnough([[1, 2], [3, 2], [100]], deviations: 1) == [1, 2])
    }

    @Test("IPM is −ε times the mean")
    func innerProductManipulationByHand() {
        #expect(innerProductManipulation(Self.colluders, epsilon: 0.5) == [-1, -1, 0])
        #expect(innerProductManipulation(Self.colluders, epsilon: 2) == [-4, -4, 0])
        #expect(innerProductManipulation([[1, 2], [3, 2]], epsilon: 0.5) == [-1, -1])
        #expect(innerProductManipulation([], epsilon: 1).isEmpty)
    }

    @Test("Each colluder sends the forged vector with its own tiny jitter, so the chain sees no copies",
          arguments: [Attack.alie, .ipm])
    func colluderUpdates(attack: Attack) {
        let honest = LocalUpdate(delta: [1, 2, 2], sampleCount: 5, trainingLoss: 0.1)
        let strengths = AttackConfiguration(alieDeviations: 1, ipmEpsilon: 0.5)
        func forge(seed: UInt64, colluders: [[Float]] = Self.colluders) -> [Float] {
            maliciousUpdate(attack: attack, honest: honest, othersVisible: [], colluders: colluders, seed: seed,
                            configuration: strengths)
        }
        func isClose(_ forged: [Float], to exact: [Float]) -> Bool {
            let rms = (exact.reduce(0) { $0 + $1 * $1 } / Float(exact.count)).squareRoot()
            let tolerance = 6 * colluderJitter * rms
            return forged.count == exact.count && zip(forged, exact).allSatisfy { abs($0 - $1) <= tolerance }
        }
        let exact: [Float] = attack == .alie ? [1, 2, -2] : [-1, -1, 0]
        #expect(forge(seed: 1) != forge(seed: 2))
        #expect(forge(seed: 1) == forge(seed: 1))
        #expect(isClose(forge(seed: 1), to: exact) && isClose(forge(seed: 2), to: exact), "\(forge(seed: 1))")
        // Alone, a colluder has only its own update: ALIE sends it (no spread), IPM sends −ε times it.
        #expect(isClose(forge(seed: 1, colluders: []), to: attack == .alie ? [1, 2, 2] : [-0.5, -1, -1]))
    }
}
