// Update scoring on real data: honest clients earn, every attack scores ≤ 0, free riders exactly 0.

import Federation
import Learning
import Testing

@Suite("An evaluator's scores separate honest clients from attackers")
struct UpdateScoringTests {
    /// Eight honest clients of 4–15% of the training data, then two attackers of 6% each.
    static let fractions = [0.04, 0.05, 0.07, 0.08, 0.1, 0.12, 0.14, 0.15, 0.06, 0.06]
    static let attackers: Set<Int> = [8, 9]

    static func scores(dataset: String, attack: Attack, warmRounds: Int) throws -> [UpdateScore] {
        let fixture = try RoundFixture(dataset: dataset, fractions: Self.fractions, warmRounds: warmRounds)
        let updates = try fixture.updates(attack: attack, attackers: Self.attackers)
        return try fixture.evaluator().score(updates: updates.map(\.delta), sampleCounts: updates.map(\.sampleCount))
    }

    @Test("After a first round, honest clients score > 0 and attackers ≤ 0", arguments: ["digits", "breast_cancer"],
          Attack.allCases)
    func separation(dataset: String, attack: Attack) throws {
        let scores = try Self.scores(dataset: dataset, attack: attack, warmRounds: 1)
        for (index, score) in scores.enumerated() {
            if Self.attackers.contains(index) {
                #expect(score.score <= 0, "\(attack) attacker \(index): \(score)")
            } else {
                #expect(score.score > 0, "honest \(index) next to \(attack): \(score)")
            }
        }
        let expected: [Attack: UpdateAnomaly] = [
            .signFlip: .opposedDirection, .gaussianNoise: .tooLarge, .boosted: .tooLarge,
            .freeRiderZeros: .nearZero, .freeRiderReplay: .duplicate,
        ]
        if let anomaly = expected[attack] {
            #expect(Self.attackers.allSatisfy { scores[$0].anomalies.contains(anomaly) })
        }
        if attack == .freeRiderZeros || attack == .freeRiderReplay {
            #expect(Self.attackers.allSatisfy { scores[$0].score == 0 })
        }
        #expect(scores.indices.filter { !Self.attackers.contains($0) }.allSatisfy { scores[$0].anomalies.isEmpty })
    }

    @Test("From the random initial model, every attack but label flipping scores ≤ 0",
          arguments: ["digits", "breast_cancer"], Attack.allCases.filter { $0 != .labelFlip })
    func firstRound(dataset: String, attack: Attack) throws {
        let scores = try Self.scores(dataset: dataset, attack: attack, warmRounds: 0)
        #expect(Self.attackers.allSatisfy { scores[$0].score <= 0 })
        #expect(scores.indices.filter { !Self.attackers.contains($0) }.allSatisfy { scores[$0].score > 0 })
    }

    @Test("Six attackers of six kinds among six honest clients: only the honest earn")
    func mixedRound() throws {
        let fixture = try RoundFixture(dataset: "digits", fractions: Array(repeating: 0.07, count: 12), warmRounds: 1)
        var updates = try fixture.updates().map { ($0.delta, $0.sampleCount) }
        for (offset, attack) in Attack.allCases.enumerated() {
            let index = 6 + offset
            let data = attack.poison(fixture.clients[index])
            let honest = try trainLocalUpdate(spec: fixture.spec, global: fixture.global, data: data,
                                              configuration: fixture.local.seeded(UInt64(index)))
            let visible = updates.prefix(6).map(\.0)
            updates[index].0 = maliciousUpdate(attack: attack, honest: honest, othersVisible: visible, seed: 1)
        }
        let scores = try fixture.evaluator().score(updates: updates.map(\.0), sampleCounts: updates.map(\.1))
        #expect(scores.prefix(6).allSatisfy { $0.score > 0 })
        #expect(scores.suffix(6).allSatisfy { $0.score <= 0 })
    }

    @Test("Updates that cannot be evaluated are harmful; bad inputs are errors")
    func malformed() throws {
        let fixture = try RoundFixture(dataset: "breast_cancer", fractions: [0.2, 0.2, 0.2], warmRounds: 0)
        var updates = try fixture.updates().map(\.delta)
        updates.append([Float](repeating: 0.1, count: 3))
        var poisoned = updates[0]
        poisoned[7] = .nan
        updates.append(poisoned)
        let evaluator = try fixture.evaluator()
        let scores = try evaluator.score(updates: updates, sampleCounts: [50, 50, 50, 50, 50])
        #expect(scores[3] == UpdateScore(shapley: 0, anomalies: [.wrongDimension], score: -1_000_000))
        #expect(scores[4] == UpdateScore(shapley: 0, anomalies: [.nonFinite], score: -1_000_000))
        #expect(scores.prefix(3).allSatisfy { $0.score > 0 })
        #expect(throws: FederationError.weightCountMismatch(updates: 5, weights: 1)) {
            try evaluator.score(updates: updates, sampleCounts: [1])
        }
        #expect(try evaluator.score(updates: [], sampleCounts: []) == [])
        #expect(throws: FederationError.invalidParameter(name: "exactShapleyLimit", reason: "17 is outside 0...16")) {
            try fixture.evaluator(EvaluationSettings(exactShapleyLimit: 17))
        }
    }

    @Test("Scores are repeatable and the chain's micro-units round and clamp")
    func repeatable() throws {
        let first = try Self.scores(dataset: "breast_cancer", attack: .boosted, warmRounds: 1)
        let again = try Self.scores(dataset: "breast_cancer", attack: .boosted, warmRounds: 1)
        #expect(first == again)
        #expect(UpdateScore.microUnits(0.0000015) == 2)
        #expect(UpdateScore.microUnits(-0.0000015) == -2)
        #expect(UpdateScore.microUnits(1e6) == 1_000_000_000)
        #expect(UpdateScore.microUnits(-.infinity) == -1_000_000_000)
        #expect(UpdateScore.microUnits(.nan) == -1_000_000_000)
    }
}
