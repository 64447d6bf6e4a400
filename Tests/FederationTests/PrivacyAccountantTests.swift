// The RDP accountant against Opacus's and Google's figures, and the properties a privacy bound must have.

import Federation
import Foundation
import Testing

@Suite("Privacy accountant")
struct PrivacyAccountantTests {
    /// One figure of `../shared/peers/dp_epsilon_vectors.json`.
    struct Vector: Decodable {
        var q: Double
        var sigma: Double
        var steps: Int
        var opacus_rdp: Double
        var google_rdp: Double
        var opacus_prv: Double
        var google_pld: Double
    }

    struct Vectors: Decodable {
        var delta: Double
        var vectors: [Vector]
    }

    static func vectors(filePath: String = #filePath) throws -> Vectors {
        // Tests/FederationTests/<file>.swift: the repository root is three levels up, ../shared beside it.
        var url = URL(fileURLWithPath: filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        let path = url.appendingPathComponent("shared/peers/dp_epsilon_vectors.json")
        return try JSONDecoder().decode(Vectors.self, from: try Data(contentsOf: path))
    }

    @Test("ε of every vector is Opacus's and Google's RDP figure within 0.1 %")
    func matchesReferenceAccountants() throws {
        let reference = try Self.vectors()
        #expect(reference.vectors.count >= 4)
        for vector in reference.vectors {
            let epsilon = try RDPAccountant.epsilon(
                samplingRate: vector.q, noiseMultiplier: vector.sigma, steps: vector.steps, delta: reference.delta)
            for expected in [vector.opacus_rdp, vector.google_rdp] {
                #expect(abs(epsilon - expected) <= expected * 1e-3, "q \(vector.q) σ \(vector.sigma) T \(vector.steps): \(epsilon) against \(expected)")
            }
        }
    }

    @Test("the PLD accountant gives Google's PLD figure within 0.5 %, at or below Opacus's PRV bound and well below RDP")
    func privacyLossDistributions() throws {
        let reference = try Self.vectors()
        for vector in reference.vectors {
            let epsilon = try PLDAccountant.epsilon(
                samplingRate: vector.q, noiseMultiplier: vector.sigma, steps: vector.steps, delta: reference.delta)
            let label = "q \(vector.q) σ \(vector.sigma) T \(vector.steps): \(epsilon)"
            #expect(abs(epsilon - vector.google_pld) <= vector.google_pld * 5e-3, "\(label) against \(vector.google_pld)")
            #expect(epsilon <= vector.opacus_prv, "\(label) against \(vector.opacus_prv)")
            #expect(epsilon < vector.opacus_rdp * 0.95, "\(label) against \(vector.opacus_rdp)")
        }
    }

    @Test("with q = 1 and one step, the PLD ε is the analytic Gaussian mechanism's (Balle and Wang, 2018), up to ε = 284")
    func analyticGaussian() throws {
        for sigma in [0.05, 0.8, 1.0, 2.5] {
            // δ(ε) = Φ(1/2σ − εσ) − e^ε·Φ(−1/2σ − εσ), solved for δ = 1e-5 by bisection.
            func delta(_ epsilon: Double) -> Double {
                let phi = { (x: Double) in 0.5 * erfc(-x / 2.squareRoot()) }
                return phi(1 / (2 * sigma) - epsilon * sigma) - exp(epsilon) * phi(-1 / (2 * sigma) - epsilon * sigma)
            }
            var (low, high) = (0.0, 500.0)
            for _ in 0..<100 {
                let middle = (low + high) / 2
                if delta(middle) > 1e-5 { low = middle } else { high = middle }
            }
            let epsilon = try PLDAccountant.epsilon(samplingRate: 1, noiseMultiplier: sigma, steps: 1, delta: 1e-5)
            #expect(epsilon >= high - 1e-9 && epsilon - high < 1e-4, "σ \(sigma): \(epsilon) against \(high)")
        }
    }

    @Test("beyond the grid's ±500 the bound is ∞, and below δ it is 0: never a crash or a NaN")
    func extremes() throws {
        // Losses beyond ±500 count as infinite: no bound rather than a wrong one.
        #expect(try PLDAccountant.epsilon(samplingRate: 1, noiseMultiplier: 0.01, steps: 1, delta: 1e-5) == .infinity)
        // Sampling one example in a million is (0, 1e-6)-DP whatever the noise.
        #expect(try PLDAccountant.epsilon(samplingRate: 1e-6, noiseMultiplier: 0.001, steps: 1, delta: 1e-5) == 0)
    }

    @Test("a composed PLD keeps its mass, and its ε falls with δ and grows with the steps")
    func compositionProperties() throws {
        let mechanism = try SubsampledGaussian(samplingRate: 0.05, noiseMultiplier: 1.2)
        let single = try #require(mechanism.privacyLossDistribution(.removed, gridStep: 1e-3))
        #expect(abs(single.masses.reduce(0, +) + single.infinityMass - 1) < 1e-9)
        let composed = try #require(single.composed(times: 200))
        #expect(abs(composed.masses.reduce(0, +) + composed.infinityMass - 1) < 1e-6)
        let epsilons = [1e-3, 1e-5, 1e-7].map { composed.epsilon(delta: $0) }
        #expect(zip(epsilons, epsilons.dropFirst()).allSatisfy { $0 < $1 }, "\(epsilons)")
        #expect(abs(composed.delta(epsilon: epsilons[1]) - 1e-5) < 1e-7)
        let longer = try #require(single.composed(times: 400))
        #expect(longer.epsilon(delta: 1e-5) > epsilons[1])
    }

    @Test("without sampling, one step is the Gaussian mechanism's α / 2σ²; with none, it costs nothing")
    func limits() throws {
        let full = try SubsampledGaussian(samplingRate: 1, noiseMultiplier: 2)
        #expect(full.rdp(order: 8) == 1)
        #expect(try SubsampledGaussian(samplingRate: 0, noiseMultiplier: 1).rdp(order: 8) == 0)
    }

    @Test("the integer and the fractional formulas meet at integer orders, and spending grows with q, with α and with steps")
    func consistency() throws {
        let mechanism = try SubsampledGaussian(samplingRate: 0.02, noiseMultiplier: 0.9)
        for order in [2.0, 3, 5, 12, 32] {
            let integer = mechanism.rdp(order: order)
            let fractional = mechanism.rdp(order: order + 1e-9)
            #expect(abs(integer - fractional) <= integer * 1e-6, "α \(order): \(integer) against \(fractional)")
        }
        let orders = RDPAccountant.defaultOrders
        let spent = orders.map { mechanism.rdp(order: $0) }
        #expect(zip(spent, spent.dropFirst()).allSatisfy { $0 <= $1 })
        let rates = [0.001, 0.01, 0.05, 0.2, 0.6]
        let byRate = try rates.map { try SubsampledGaussian(samplingRate: $0, noiseMultiplier: 1.1).rdp(order: 7.5) }
        #expect(zip(byRate, byRate.dropFirst()).allSatisfy { $0 < $1 })
        let short = try RDPAccountant.epsilon(samplingRate: 0.01, noiseMultiplier: 1, steps: 100, delta: 1e-5)
        let long = try RDPAccountant.epsilon(samplingRate: 0.01, noiseMultiplier: 1, steps: 1_000, delta: 1e-5)
        #expect(short < long)
    }

    @Test("the noise found for a target spends at most the target, and 1 % less noise spends more")
    func noiseForTarget() throws {
        for target in [1.0, 4, 8] {
            let sigma = try RDPAccountant.noiseMultiplier(targetEpsilon: target, samplingRate: 0.01, steps: 2_000, delta: 1e-5)
            let spent = try RDPAccountant.epsilon(samplingRate: 0.01, noiseMultiplier: sigma, steps: 2_000, delta: 1e-5)
            let less = try RDPAccountant.epsilon(samplingRate: 0.01, noiseMultiplier: sigma * 0.99, steps: 2_000, delta: 1e-5)
            #expect(spent <= target && less > target, "ε \(target): σ \(sigma) spends \(spent), σ × 0.99 spends \(less)")
        }
    }

    @Test("the PLD accountant sizes σ within the target, with less noise than RDP needs")
    func pldNoiseForTarget() throws {
        let sigma = try PLDAccountant.noiseMultiplier(targetEpsilon: 4, samplingRate: 0.01, steps: 2_000, delta: 1e-5)
        let spent = try PLDAccountant.epsilon(samplingRate: 0.01, noiseMultiplier: sigma, steps: 2_000, delta: 1e-5)
        let rdpSigma = try RDPAccountant.noiseMultiplier(targetEpsilon: 4, samplingRate: 0.01, steps: 2_000, delta: 1e-5)
        #expect(spent <= 4 && sigma < rdpSigma, "PLD σ \(sigma) spends \(spent); RDP needs σ \(rdpSigma)")
    }

    @Test("a configuration the accountant cannot bound is refused, saying why")
    func refusals() {
        #expect(throws: PrivacyError.samplingRateOutOfRange(1.5)) { try SubsampledGaussian(samplingRate: 1.5, noiseMultiplier: 1) }
        #expect(throws: PrivacyError.noiseNotPositive(0)) { try SubsampledGaussian(samplingRate: 0.1, noiseMultiplier: 0) }
        #expect(throws: PrivacyError.self) {
            try RDPAccountant.noiseMultiplier(targetEpsilon: 1e-4, samplingRate: 1, steps: 1_000_000, delta: 1e-5)
        }
        #expect("\(PrivacyError.noiseNotPositive(-1))".contains("σ must be positive"))
    }
}
