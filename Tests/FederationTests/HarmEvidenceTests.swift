// Harm as evidence: poisoned updates measure harmful beyond the evaluator's noise, honest ones do not.

import Federation
import Learning
import Testing

@Suite("An update's harm is evidence against poisoned updates and not against honest ones")
struct HarmEvidenceTests {
    /// `harm − 3·SE`: above 0 when the update makes the model worse beyond what the evaluator's sample explains.
    static func margin(_ score: UpdateScore) -> Double { score.harm - 3 * score.harmStandardError }

    static let attackers: Set<Int> = [8, 9]

    /// The scores of a round in which clients 8 and 9 behave as `attack` (all clients honest for `nil`).
    static func scores(_ fixture: RoundFixture, attack: Attack?) throws -> [UpdateScore] {
        let updates = try fixture.updates(attack: attack, attackers: attack == nil ? [] : Self.attackers)
        return try fixture.evaluator().score(updates: updates.map(\.delta), rule: .fedavg)
    }

    @Test("IID digits: sign- and label-flipped updates are harmful, honest ones are not beyond 3 SE",
          arguments: [1, 2, 3] as [UInt64])
    func iid(seed: UInt64) throws {
        // Ten equal shares, after three rounds. Late in IID training a flipped update among ten moves the model
        // little: measured margins −0.0009 … +0.0096 (sign flips are also excluded by the direction check, so they
        // earn nothing either way); what must hold is that no honest update measures harmful.
        let fixture = try RoundFixture(dataset: "digits", fractions: Array(repeating: 0.1, count: 10), warmRounds: 3,
                                       seed: seed)
        for attack in [nil, Attack.signFlip, .labelFlip] {
            let scores = try Self.scores(fixture, attack: attack)
            for (index, score) in scores.enumerated() {
                if attack != nil, Self.attackers.contains(index) {
                    #expect(score.harm > 0, "\(attack!) attacker \(index): \(score)")
                } else {
                    #expect(Self.margin(score) <= 0, "honest \(index) next to \(attack?.rawValue ?? "none"): \(score)")
                }
            }
        }
    }

    @Test("Non-IID digits, two labels per owner: honest updates are not harmful, sign flippers are",
          arguments: [1, 2, 3, 4, 5] as [UInt64])
    func nonIID(seed: UInt64) throws {
        // Measured after three rounds: honest margins ≤ −0.075 alone and ≤ −0.037 next to sign flippers, whose
        // margins are ≥ +0.053. An honest update pulls toward its owner's labels; leaving it out costs more.
        let fixture = try RoundFixture(dataset: "digits", partition: .twoLabels(clients: 10), warmRounds: 3, seed: seed)
        let honest = try Self.scores(fixture, attack: nil)
        #expect(honest.allSatisfy { Self.margin($0) <= 0 }, "\(honest.map(Self.margin))")
        let attacked = try Self.scores(fixture, attack: .signFlip)
        for (index, score) in attacked.enumerated() {
            if Self.attackers.contains(index) {
                #expect(Self.margin(score) > 0.01, "sign flipper \(index): \(score)")
            } else {
                #expect(Self.margin(score) <= 0, "honest \(index) next to sign flippers: \(score)")
            }
        }
    }

    @Test("Harm is the mean paired loss difference of the round aggregate with and without the update")
    func definition() throws {
        let fixture = try RoundFixture(dataset: "digits", fractions: [0.1, 0.1, 0.1], warmRounds: 1)
        var updates = try fixture.updates().map(\.delta)
        updates[2] = [Float](repeating: 0, count: updates[2].count)  // near zero: excluded, still measured
        let evaluator = try fixture.evaluator()
        for rule in [AggregationRule.fedavg, .median] {
            let scores = try evaluator.score(updates: updates, rule: rule)
            #expect(scores.map(\.anomalies) == [[], [], [.nearZero]])
            func improvement(_ members: [Int]) throws -> Double {
                try evaluator.improvement(applying: roundAggregate(members.map { updates[$0] }, rule: rule))
            }
            // Each harm is one of two paired measurements: against the aggregate without the update, and against
            // the aggregate with a zero update in its place; the one with the lower 3-SE bound. Without losses above
            // the cap, the mean of the differences is the difference of the mean losses.
            let zero = [Float](repeating: 0, count: updates[0].count)
            func replaced(_ index: Int) throws -> Double {
                var members = [updates[0], updates[1]]
                members[index] = zero
                return try evaluator.improvement(applying: roundAggregate(members, rule: rule))
            }
            let both = try improvement([0, 1])
            let candidates0 = [try improvement([1]) - both, try replaced(0) - both]
            let candidates1 = [try improvement([0]) - both, try replaced(1) - both]
            #expect(candidates0.contains { abs(scores[0].harm - $0) < 1e-5 }, "\(scores[0]) vs \(candidates0)")
            #expect(candidates1.contains { abs(scores[1].harm - $0) < 1e-5 }, "\(scores[1]) vs \(candidates1)")
            let withZero = try evaluator.improvement(applying: roundAggregate(updates, rule: rule))
            let excludedCandidates = [both - withZero, 0]
            #expect(excludedCandidates.contains { abs(scores[2].harm - $0) < 1e-5 }, "\(scores[2])")
            #expect(scores.prefix(2).allSatisfy { $0.harmStandardError > 0 })
        }
        // Alone in the round, an update is measured against the unchanged global model (both ways of doing without
        // it are no step at all).
        let alone = try evaluator.score(updates: [updates[0]], rule: .fedavg)[0]
        #expect(abs(alone.harm + (try evaluator.improvement(applying: roundAggregate([updates[0]], rule: .fedavg))))
                < 1e-5)
        // One validation example: no spread to measure.
        let single = try UpdateEvaluator(spec: fixture.spec, global: fixture.global,
                                         validation: fixture.validation.subset([0]))
        #expect(try single.score(updates: updates, rule: .fedavg).allSatisfy { $0.harmStandardError == 0 })
    }

    @Test("FedAvg harm, computed from shared sums, is the definition's for updates of unequal norms")
    func fedavgShortcut() throws {
        // Seven updates scaled 0.5× … 3.5×, so leaving one out or zeroing it moves the median norm both ways, and an
        // eighth with its sign flipped, which the direction check excludes.
        let fixture = try RoundFixture(dataset: "digits", fractions: Array(repeating: 0.1, count: 8), warmRounds: 1)
        var updates = try fixture.updates().map(\.delta)
        for index in updates.indices { updates[index] = updates[index].map { $0 * Float(index + 1) / 2 } }
        updates[7] = updates[7].map { -$0 }
        let evaluator = try fixture.evaluator()
        let scores = try evaluator.score(updates: updates, rule: .fedavg)
        #expect(scores.map(\.anomalies.isEmpty) == Array(repeating: true, count: 7) + [false])
        func improvement(_ members: [[Float]]) throws -> Double {
            members.isEmpty ? 0 : try evaluator.improvement(applying: roundAggregate(members, rule: .fedavg))
        }
        let zero = [Float](repeating: 0, count: updates[0].count)
        let clean = Array(updates.prefix(7))
        let all = try improvement(clean)
        for index in 0..<7 {
            var replaced = clean
            replaced[index] = zero
            var left = clean
            left.remove(at: index)
            let candidates = [try improvement(left) - all, try improvement(replaced) - all]
            #expect(candidates.contains { abs(scores[index].harm - $0) < 1e-5 }, "\(index): \(scores[index]) vs \(candidates)")
        }
        let excluded = [all - (try improvement(updates)), try improvement(clean + [zero]) - (try improvement(updates))]
        #expect(excluded.contains { abs(scores[7].harm - $0) < 1e-5 }, "\(scores[7]) vs \(excluded)")
    }

    @Test("Verdicts depend on the updates alone: reordering the updates reorders them")
    func orderFree() throws {
        let fixture = try RoundFixture(dataset: "digits", fractions: Array(repeating: 0.1, count: 8), warmRounds: 1)
        let updates = try fixture.updates().map(\.delta)
        let evaluator = try fixture.evaluator()
        let forward = try evaluator.score(updates: updates, rule: .fedavg)
        let backward = try evaluator.score(updates: updates.reversed(), rule: .fedavg).reversed()
        for (a, b) in zip(forward, backward) {
            #expect(a.anomalies == b.anomalies)
            #expect(abs(a.shapley - b.shapley) < 1e-6 && abs(a.harm - b.harm) < 1e-6, "\(a) vs \(b)")
            #expect(abs(a.harmStandardError - b.harmStandardError) < 1e-6)
        }
    }

    @Test("Every rule scores a round, including rounds of one and two clean updates",
          arguments: AggregationRule.allCases)
    func everyRule(rule: AggregationRule) throws {
        let fixture = try RoundFixture(dataset: "breast_cancer", fractions: [0.2, 0.2, 0.2, 0.2], warmRounds: 1)
        let updates = try fixture.updates().map(\.delta)
        let evaluator = try fixture.evaluator()
        for count in 1...4 {
            let scores = try evaluator.score(updates: Array(updates.prefix(count)) + [[1]], rule: rule)
            #expect(scores.count == count + 1)
            #expect(scores.dropLast().allSatisfy { $0.anomalies.isEmpty && $0.harm.isFinite && $0.harm < 0.5 })
            #expect(scores.last == UpdateScore(shapley: 0, anomalies: [.wrongDimension], harm: 1, harmStandardError: 0))
        }
    }
}
