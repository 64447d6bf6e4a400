// Backdoor: the trigger stamped on data, the poisoned training set, and the attack's success rate.

import Federation
import Learning
import Testing

@Suite("A backdoor trigger poisons data and is measured on triggered inputs")
struct BackdoorTriggerTests {
    @Test("Stamping sets the last `width` scalars of the chosen samples and nothing else")
    func stamping() throws {
        let data = try Dataset(features: Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]), labels: [0, 1])
        let stamped = BackdoorTrigger(width: 2, value: 9).stamped(data, at: [1])
        #expect(stamped.features.scalars == [1, 2, 3, 4, 9, 9])
        #expect(stamped.labels == [0, 1])
        #expect(BackdoorTrigger(width: 5, value: -1).stamped(data, at: [0]).features.scalars == [-1, -1, -1, 4, 5, 6])
    }

    @Test("Poisoning triggers ⌊n × fraction⌋ evenly spread samples and relabels them to the target")
    func poisoning() throws {
        let data = try Dataset(
            features: Tensor(shape: [4, 2], scalars: [1, 1, 2, 2, 3, 3, 4, 4]), labels: [1, 2, 1, 2], classCount: 3)
        let half = BackdoorTrigger(target: 0, fraction: 0.5, width: 1, value: 7).poisoned(data)
        #expect(half.features.scalars == [1, 1, 2, 7, 3, 3, 4, 7])
        #expect(half.labels == [1, 0, 1, 0])
        #expect(half.targets == [1, 0, 1, 0])
        let quarter = BackdoorTrigger(target: 2, fraction: 0.25, width: 1, value: 7).poisoned(data)
        #expect(quarter.labels == [1, 2, 1, 2] && quarter.features.scalars == [1, 1, 2, 2, 3, 3, 4, 7])
        #expect(BackdoorTrigger(fraction: 1, width: 1, value: 7).poisoned(data).labels == [0, 0, 0, 0])
        #expect(Attack.backdoor.poison(data, configuration: AttackConfiguration(backdoor: BackdoorTrigger(width: 1)))
            .labels == [1, 0, 1, 0])
    }

    /// A logistic regression whose class-1 logit is `x₀ + x₁ − 6` and class-0 logit 0 (weight `[out, in]`, bias).
    static func model() throws -> Model {
        var model = try Model(spec: ModelSpec.builtin("logreg", features: 2, classes: 2), seed: 0)
        try model.setFlatParameters([0, 0, 1, 1, 0, -6])
        return model
    }

    @Test("The success rate counts triggered non-target samples classified as the target")
    func successRate() throws {
        let test = try Dataset(features: Tensor(shape: [4, 2], scalars: [0, 0, 2, 0, 3, 0, 9, 0]), labels: [0, 0, 0, 1])
        let model = try Self.model()
        // Triggered, x₁ = 5: the class-1 logit is x₀ − 1, positive for x₀ = 2 and 3 of the three class-0 samples.
        let rate = try #require(try BackdoorTrigger(target: 1, width: 1, value: 5).successRate(of: model, on: test))
        #expect(abs(rate - 2.0 / 3.0) < 1e-12)
        #expect(try BackdoorTrigger(target: 1, width: 1, value: 0).successRate(of: model, on: test) == 0)
        #expect(try BackdoorTrigger(target: 1, width: 1, value: 10).successRate(of: model, on: test) == 1)
        let targetsOnly = try Dataset(features: Tensor(shape: [1, 2], scalars: [0, 0]), labels: [1], classCount: 2)
        #expect(try BackdoorTrigger(target: 1).successRate(of: model, on: targetsOnly) == nil)
    }
}
