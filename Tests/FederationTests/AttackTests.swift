// Attacks: what each simulated Byzantine participant sends.

import Federation
import Learning
import Testing

@Suite("Attacks forge the documented updates")
struct AttackTests {
    static let honest = LocalUpdate(delta: [0.5, -1, 2, 0], sampleCount: 10, trainingLoss: 0.3)

    @Test("Raw values are the frozen configuration names")
    func names() {
        #expect(
            Attack.allCases.map(\.rawValue) == [
                "sign_flip", "label_flip", "gaussian", "boosted", "zeros", "replay", "copycat", "count_liar", "no_reveal",
                "alie", "ipm", "backdoor", "sybil",
            ])
        #expect(Attack.updateAttacks == Array(Attack.allCases.prefix(6)))
        #expect(Attack.allCases.allSatisfy { !$0.description.isEmpty })
        #expect(Attack.allCases.filter(\.poisonsData) == [.labelFlip, .backdoor])
        #expect(Attack.allCases.filter(\.colludes) == [.alie, .ipm])
    }

    @Test("Update attacks transform the honest delta")
    func updates() {
        let others: [[Float]] = [[9, 9, 9, 9], [7, 7, 7, 7]]
        #expect(maliciousUpdate(attack: .signFlip, honest: Self.honest, othersVisible: [], seed: 0) == [-0.5, 1, -2, -0])
        #expect(maliciousUpdate(attack: .boosted, honest: Self.honest, othersVisible: [], seed: 0) == [5, -10, 20, 0])
        #expect(maliciousUpdate(attack: .freeRiderZeros, honest: Self.honest, othersVisible: others, seed: 0) == [0, 0, 0, 0])
        #expect(maliciousUpdate(attack: .labelFlip, honest: Self.honest, othersVisible: others, seed: 0) == Self.honest.delta)
        let replay = maliciousUpdate(attack: .freeRiderReplay, honest: Self.honest, othersVisible: others, seed: 4)
        #expect(others.contains(replay))
        #expect(maliciousUpdate(attack: .freeRiderReplay, honest: Self.honest, othersVisible: [], seed: 4) == [0, 0, 0, 0])
        let scaled = maliciousUpdate(attack: .signFlip, honest: Self.honest, othersVisible: [], seed: 0,
                                     configuration: AttackConfiguration(signFlipScale: 4))
        #expect(scaled == [-2, 4, -8, -0])
        let boosted = maliciousUpdate(attack: .boosted, honest: Self.honest, othersVisible: [], seed: 0,
                                      configuration: AttackConfiguration(boostFactor: 3))
        #expect(boosted == [1.5, -3, 6, 0])
        for attack in [Attack.backdoor, .sybil, .countLiar, .noReveal] {
            let forged = maliciousUpdate(attack: attack, honest: Self.honest, othersVisible: others, seed: 0)
            #expect(forged == Self.honest.delta, "\(attack)")
        }
    }

    @Test("A copycat sends the mean of what it can read, plus noise of the configured relative size")
    func copycat() {
        let others: [[Float]] = [[9, 9, 9, 9], [7, 7, 7, 7]]
        let exact = maliciousUpdate(attack: .copycat, honest: Self.honest, othersVisible: others, seed: 3,
                                    configuration: AttackConfiguration(copycatNoise: 0))
        #expect(exact == [8, 8, 8, 8])
        let noisy = maliciousUpdate(attack: .copycat, honest: Self.honest, othersVisible: others, seed: 3)
        #expect(noisy != exact && noisy.allSatisfy { abs($0 - 8) < 8 * 0.1 * 6 })
        #expect(maliciousUpdate(attack: .copycat, honest: Self.honest, othersVisible: [], seed: 3) == [0, 0, 0, 0])
    }

    @Test("Gaussian noise is repeatable by seed with the configured deviation")
    func gaussian() {
        let honest = LocalUpdate(delta: [Float](repeating: 0, count: 20_000), sampleCount: 1, trainingLoss: 0)
        let noise = maliciousUpdate(attack: .gaussianNoise, honest: honest, othersVisible: [], seed: 7)
        #expect(noise == maliciousUpdate(attack: .gaussianNoise, honest: honest, othersVisible: [], seed: 7))
        #expect(noise != maliciousUpdate(attack: .gaussianNoise, honest: honest, othersVisible: [], seed: 8))
        let mean = noise.reduce(0.0) { $0 + Double($1) } / Double(noise.count)
        let deviation = (noise.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(noise.count)).squareRoot()
        #expect(abs(mean) < 5)
        #expect(abs(deviation - 200) < 4)
    }

    @Test("Label flipping maps label → classCount − 1 − label and leaves features alone")
    func labelFlip() throws {
        let data = try Dataset(features: Tensor(shape: [4, 1], scalars: [1, 2, 3, 4]), labels: [0, 1, 2, 0], classCount: 3)
        let poisoned = Attack.labelFlip.poison(data)
        #expect(poisoned.labels == [2, 1, 0, 2])
        #expect(poisoned.targets == [2, 1, 0, 2])
        #expect(poisoned.features.scalars == data.features.scalars)
        #expect(Attack.boosted.poison(data).labels == data.labels)
    }
}
