// A devnet whose owners train with DP-SGD: every owner within its budget, and the model still learns.

import Devnet
import Federation
import Learning
import Testing

@Suite("Private devnet runs", .serialized)
struct PrivateDevnetRunTests {
    @Test("owners training with DP-SGD at ε = 4 each spend at most 4, and the model still learns digits")
    func ownersStayWithinTheirBudget() async throws {
        let rounds = 3
        var digits = DevnetOptions()
        digits.dataset = .digits
        var training = digits.ownerTraining()
        let steps = try #require(training.steps) * rounds
        let sigma = try RDPAccountant.noiseMultiplier(targetEpsilon: 4, samplingRate: 0.25, steps: steps, delta: 1e-5)
        training.privacy = DifferentialPrivacy(clippingNorm: 1, noiseMultiplier: sigma, samplingRate: 0.25)
        let report = try await runDevnet {
            $0.dataset = .digits
            $0.malicious = 0
            $0.rounds = rounds
            $0.localTraining = training
            $0.privacyDelta = 1e-5
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
