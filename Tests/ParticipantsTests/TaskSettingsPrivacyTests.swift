// A data owner trains with the chain's privacy terms, and not at all for a task whose accounting understates them.

import DeAITesting
import Federation
import Foundation
import Learning
import Ledger
import Participants
import Testing

@Suite("Task settings with differential privacy")
struct TaskSettingsPrivacyTests {
    /// A servable task whose owners train 3 epochs, without DP in their training settings.
    static func spec() throws -> TaskSpec {
        var spec = TrainingFixtures.servableSpec()
        let model = try JSONDecoder().decode(ModelSpec.self, from: Data(spec.modelSpec.utf8))
        let documents = try TaskSettings.documents(
            model: model, training: LocalTrainingConfiguration(epochs: 3), evaluation: EvaluationSettings())
        spec.trainingSettings = documents.training
        spec.evaluationSettings = documents.evaluation
        return spec
    }

    @Test("owners train with the task's DP-SGD and steps, whatever its training settings say")
    func ownersTrainWithTheChainsTerms() throws {
        var spec = try Self.spec()
        let terms = try PrivacyTerms(
            clippingNorm: 0.5, noiseMultiplier: 1.3, samplingRate: 0.1, stepsPerRound: 12, epsilon: 8, delta: 1e-6)
        spec.privacy = terms
        let settings = try TaskSettings(spec, taskID: 7)
        #expect(settings.training.privacy == terms.mechanism)
        #expect(settings.training.steps == 12)
        #expect(settings.training.privateStepsPerRound == 12)
    }

    @Test("a task whose declared RDP is below what its mechanism spends is refused, naming the order")
    func understatedAccountingIsRefused() throws {
        var spec = try Self.spec()
        var terms = try PrivacyTerms(
            clippingNorm: 1, noiseMultiplier: 1.1, samplingRate: 0.25, stepsPerRound: 8, epsilon: 8, delta: 1e-5)
        terms.roundRDP = terms.roundRDP.map { $0 / 10 + 1 }
        spec.privacy = terms
        #expect {
            try TaskSettings(spec, taskID: 7)
        } throws: { error in
            "\(error)".contains("privacy accounting cannot be trusted") && "\(error)".contains("order 1.1")
        }
    }
}
