// A devnet whose owners train with DP-SGD: every owner within its budget, and the model still learns.

import Devnet
import Federation
import Ledger
import Testing

@Suite("Private devnet runs", .serialized)
struct PrivateDevnetRunTests {
    @Test("owners training with DP-SGD at ε = 4 each spend at most 4, and the model still learns digits")
    func ownersStayWithinTheirBudget() async throws {
        let rounds = 3
        var digits = DevnetOptions()
        digits.dataset = .digits
        let steps = try #require(digits.ownerTraining().steps)
        let terms = try PrivacyTerms.fitting(
            epsilon: 4, delta: 1e-5, samplingRate: 0.25, clippingNorm: 1, stepsPerRound: steps, rounds: rounds)
        let report = try await runDevnet {
            $0.dataset = .digits
            $0.malicious = 0
            $0.rounds = rounds
            $0.privacy = terms
        }
        let owners = report.participants.filter { $0.role == "data owner" }
        #expect(owners.count == 10)
        for owner in owners {
            let epsilon = try #require(owner.epsilon, "\(owner.name) has no ε")
            #expect(epsilon > 0.5 && epsilon <= 4 + 1e-9, "\(owner.name) spent ε \(epsilon)")
        }
        #expect(report.participants.filter { $0.role == "evaluator" }.allSatisfy { $0.epsilon == nil })
        #expect(report.finalAccuracy >= 0.4, "final accuracy \(report.finalAccuracy) (chance: 10 %)")
    }
}
