// Shapley values: known games, the axioms, Monte-Carlo accuracy and Spearman's correlation.

import Federation
import Learning
import Testing

@Suite("Shapley values and rank correlation")
struct ShapleyTests {
    /// The glove game: player 0 holds a left glove, players 1 and 2 right gloves; a pair is worth 1.
    static func gloves(_ members: [Bool]) -> Double { members[0] && (members[1] || members[2]) ? 1 : 0 }

    @Test("Exact Shapley gives the textbook glove-game values (2/3, 1/6, 1/6)")
    func gloveGame() {
        let values = exactShapley(playerCount: 3, utility: Self.gloves)
        #expect(zip(values, [2.0 / 3, 1.0 / 6, 1.0 / 6]).allSatisfy { abs($0 - $1) < 1e-15 })
    }

    @Test("Exact Shapley evaluates each of the 2^n coalitions once, the empty one included")
    func evaluationCount() {
        var seen: [[Bool]] = []
        _ = exactShapley(playerCount: 5) { members in
            seen.append(members)
            return Double(members.filter { $0 }.count)
        }
        #expect(seen.count == 32)
        #expect(Set(seen).count == 32)
        #expect(exactShapley(playerCount: 0) { _ in 1 } == [])
    }

    @Test("On real digits updates exact Shapley is efficient and symmetric")
    func axioms() throws {
        let fixture = try RoundFixture(dataset: "digits", fractions: [0.05, 0.1, 0.15, 0.2, 0.1], warmRounds: 1)
        var updates = try fixture.updates()
        updates.append(updates[1])  // player 5 is an exact copy of player 1: symmetric players
        let evaluator = try fixture.evaluator()
        func utility(_ members: [Bool]) throws -> Double {
            let chosen = updates.indices.filter { members[$0] }
            guard !chosen.isEmpty else { return 0 }
            let step = try aggregate(chosen.map { updates[$0].delta }, rule: .fedavg)
            return try evaluator.improvement(applying: step)
        }
        let values = try exactShapley(playerCount: updates.count, utility: utility)
        let all = try utility([Bool](repeating: true, count: updates.count))
        #expect(abs(values.reduce(0, +) - all) < 1e-9)
        #expect(abs(values[1] - values[5]) < 1e-6 * max(abs(values[1]), 1e-3))
    }

    @Test("Monte Carlo without truncation telescopes to u(N) − u(∅) and is repeatable by seed")
    func monteCarloEfficiency() {
        func game(_ members: [Bool]) -> Double {
            let size = Double(members.filter { $0 }.count)
            return 3 + size * size + (members[0] && members[4] ? 5 : 0)
        }
        let first = monteCarloShapley(playerCount: 6, permutations: 7, truncationTolerance: 0, seed: 9, utility: game)
        let again = monteCarloShapley(playerCount: 6, permutations: 7, truncationTolerance: 0, seed: 9, utility: game)
        let other = monteCarloShapley(playerCount: 6, permutations: 7, truncationTolerance: 0, seed: 10, utility: game)
        #expect(first == again)
        #expect(first != other)
        #expect(abs(first.reduce(0, +) - (36 + 5)) < 1e-9)
    }

    @Test("Monte Carlo on several threads gives the one-thread bits, truncated or not", arguments: [0.0, 0.5])
    func monteCarloThreadsAgree(tolerance: Double) throws {
        @Sendable func game(_ members: [Bool]) -> Double {
            let weights = members.indices.map { 1 / Double($0 + 3) }
            let total = zip(members, weights).reduce(0.0) { $0 + ($1.0 ? $1.1 : 0) }
            return (1 - 1 / (1 + total * total)) * 10
        }
        let one = monteCarloShapley(playerCount: 40, permutations: 13, truncationTolerance: tolerance, seed: 5,
                                    utility: game)
        for workers in [1, 2, 3, 8, 20] {
            let shared = try monteCarloShapley(playerCount: 40, permutations: 13, truncationTolerance: tolerance, seed: 5,
                                               workers: workers) { game }
            #expect(shared.map(\.bitPattern) == one.map(\.bitPattern), "\(workers) workers")
        }
    }

    @Test("Monte Carlo converges to the exact glove-game values")
    func monteCarloConverges() {
        let estimate = monteCarloShapley(playerCount: 3, permutations: 3000, truncationTolerance: 0, seed: 1,
                                         utility: Self.gloves)
        #expect(zip(estimate, [2.0 / 3, 1.0 / 6, 1.0 / 6]).allSatisfy { abs($0 - $1) < 0.03 })
    }

    @Test("Truncation skips coalitions once a prefix is worth almost everything")
    func truncationSavesEvaluations() {
        // Saturating game: any 3 players are worth as much as all 20.
        var calls = 0
        let values = monteCarloShapley(playerCount: 20, permutations: 10, truncationTolerance: 1e-6, seed: 3) { members in
            calls += 1
            return min(Double(members.filter { $0 }.count), 3)
        }
        #expect(calls <= 2 + 10 * 3)
        #expect(abs(values.reduce(0, +) - 3) < 1e-9)
    }

    @Test("Monte-Carlo Shapley ranks 10 digits clients like exact Shapley (Spearman ≥ 0.8)")
    func monteCarloMatchesExactOnDigits() throws {
        // Ten clients of 2–15% of the data; clients 7 and 8 have 50% label noise, client 9 random labels.
        let fractions = [0.02, 0.03, 0.04, 0.06, 0.08, 0.1, 0.12, 0.15, 0.06, 0.08]
        for warmRounds in [0, 2] {
            var fixture = try RoundFixture(dataset: "digits", fractions: fractions, warmRounds: warmRounds)
            fixture = fixture.withLabelNoise(clients: [7: 0.5, 8: 0.5, 9: 1.0])
            let updates = try fixture.updates()
            let exact = try fixture.evaluator().score(updates: updates.map(\.delta), rule: .fedavg)
            let sampled = try fixture.evaluator(EvaluationSettings(exactShapleyLimit: 0))
                .score(updates: updates.map(\.delta), rule: .fedavg)
            #expect(spearmanCorrelation(exact.map(\.shapley), sampled.map(\.shapley)) >= 0.8)
            #expect(exact[9].score < exact[5].score)  // random labels are worth less than clean data
        }
    }

    @Test("Spearman uses average ranks for ties", arguments: [
        ([1.0, 2, 3, 4], [10.0, 20, 30, 40], 1.0),
        ([1.0, 2, 3, 4], [4.0, 3, 2, 1], -1.0),
        ([1.0, 2, 3], [10.0, 20, 15], 0.5),
        ([1.0, 2, 2, 3], [1.0, 2, 3, 4], 0.9486832980505138),  // ranks 1, 2.5, 2.5, 4
        ([5.0, 5, 5], [1.0, 2, 3], 0.0),
    ])
    func spearman(a: [Double], b: [Double], expected: Double) {
        #expect(abs(spearmanCorrelation(a, b) - expected) < 1e-12)
    }
}
