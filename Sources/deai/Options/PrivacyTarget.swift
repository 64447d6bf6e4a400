// `--dp epsilon=E,delta=D[,q=Q][,clip=C]`: the owners' privacy budget, and the noise that keeps it.

import ArgumentParser
import Federation
import Foundation
import Ledger

/// The privacy budget of `--dp` (`deai devnet`, `deai task create`): every owner's (ε, δ) over the whole task,
/// its sampling rate and clipping norm.
struct PrivacyTarget {
    var epsilon: Double
    var delta: Double
    var samplingRate = 0.25
    var clippingNorm = 1.0

    /// Reads `epsilon=E,delta=D[,q=Q][,clip=C]`.
    /// - Throws: a `ValidationError` naming the part that is missing or wrong.
    init(parsing text: String) throws(ValidationError) {
        var values: [String: Double] = [:]
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, ["epsilon", "delta", "q", "clip"].contains(pair[0]), let value = Double(pair[1]) else {
                throw ValidationError("--dp takes epsilon=E,delta=D[,q=Q][,clip=C]; '\(part)' is not one of them")
            }
            values[pair[0]] = value
        }
        guard let epsilon = values["epsilon"], epsilon > 0, epsilon.isFinite else {
            throw ValidationError("--dp needs a positive epsilon=E")
        }
        let delta = values["delta"] ?? 1e-5
        guard delta >= 1e-15, delta < 1 else {
            throw ValidationError("--dp: delta must lie in [1e-15, 1)")
        }
        self.epsilon = epsilon
        self.delta = delta
        self.samplingRate = values["q"] ?? self.samplingRate
        self.clippingNorm = values["clip"] ?? self.clippingNorm
        guard self.samplingRate > 0, self.samplingRate <= 1 else { throw ValidationError("--dp: q must lie in (0, 1]") }
        guard self.clippingNorm > 0, self.clippingNorm.isFinite else { throw ValidationError("--dp: clip must be positive") }
    }

    /// The task's privacy terms for owners who train `training` for `rounds` rounds: with noise multiplier
    /// `sigma` when given, else the smallest noise with which every owner can publish every round within the
    /// budget, as the chain accounts it.
    /// - Throws: a `ValidationError` with the accountant's reason when no noise reaches the budget, or `sigma` is
    ///   not one it can bound.
    func terms(for training: LocalTrainingConfiguration, rounds: Int, sigma: Double? = nil) throws(ValidationError) -> PrivacyTerms {
        let steps = training.privateSteps(samplingRate: self.samplingRate)
        do {
            guard let sigma else {
                return try PrivacyTerms.fitting(
                    epsilon: self.epsilon, delta: self.delta, samplingRate: self.samplingRate,
                    clippingNorm: self.clippingNorm, stepsPerRound: steps, rounds: rounds)
            }
            return try PrivacyTerms(
                clippingNorm: self.clippingNorm, noiseMultiplier: sigma, samplingRate: self.samplingRate,
                stepsPerRound: steps, epsilon: self.epsilon, delta: self.delta)
        } catch {
            throw ValidationError("--dp: \(error)")
        }
    }
}
