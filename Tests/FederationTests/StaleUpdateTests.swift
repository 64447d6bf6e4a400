// Stale updates: a perturbed copy of what the previous round revealed is excluded; honest updates are not.

import Federation
import Learning
import Testing

@Suite("A copy of the previous round's updates is stale")
struct StaleUpdateTests {
    @Test("the copycat's perturbed mean of last round's updates is excluded as stale; the honest next round is not",
          arguments: ["digits", "breast_cancer"])
    func copycat(dataset: String) throws {
        // Last round's updates, from the model one round earlier; this round's from the model after them.
        let before = try RoundFixture(dataset: dataset, fractions: Array(repeating: 0.1, count: 8), warmRounds: 1)
        let earlier = try before.updates().map(\.delta)
        let now = try RoundFixture(dataset: dataset, fractions: Array(repeating: 0.1, count: 8), warmRounds: 2)
        var updates = try now.updates().map(\.delta)
        let honest = try trainLocalUpdate(spec: now.spec, global: now.global, data: now.clients[7],
                                          configuration: now.local.seeded(7))
        updates[7] = maliciousUpdate(attack: .copycat, honest: honest, othersVisible: earlier, seed: 7)
        let scores = try now.evaluator().score(updates: updates, rule: .fedavg, earlier: earlier)
        #expect(scores[7].anomalies.contains(.stale) && scores[7].score == 0, "\(scores[7])")
        #expect(scores.prefix(7).allSatisfy { !$0.anomalies.contains(.stale) }, "\(scores.prefix(7).map(\.anomalies))")
    }
}
