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
