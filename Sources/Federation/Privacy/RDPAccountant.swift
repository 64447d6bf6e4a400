// Adding up the privacy that DP-SGD steps spend, and turning it into (ε, δ).

import Foundation

/// A Rényi-DP accountant: the privacy spent by a sequence of subsampled Gaussian steps, kept as RDP at a fixed set
/// of orders (composition adds them), and converted to an (ε, δ) guarantee at the best order.
///
/// ```swift
/// var accountant = RDPAccountant()
/// accountant.compose(try SubsampledGaussian(samplingRate: 0.01, noiseMultiplier: 1.0), steps: 10_000)
/// accountant.epsilon(delta: 1e-5).epsilon   // 6.71
/// ```
///
/// The conversion is the one of Balle et al., "Hypothesis Testing Interpretations and Renyi Differential
/// Privacy" (2020): ε = RDP(α) + log((α − 1)/α) − (log δ + log α)/(α − 1), minimized over the orders. With
/// ``defaultOrders`` it gives Opacus's and Google's `dp-accounting` RDP figures.
public struct RDPAccountant: Sendable, Hashable {
    /// The orders Opacus uses: 1.1 to 10.9 by tenths, then 12 to 63.
    public static let defaultOrders: [Double] = (1...99).map { 1 + Double($0) / 10 } + (12...63).map(Double.init)

    /// The Rényi orders tracked, each above 1.
    public let orders: [Double]
    /// The RDP spent so far at each of ``orders``.
    public private(set) var rdp: [Double]

    /// An accountant that has spent nothing, tracking `orders`.
    public init(orders: [Double] = RDPAccountant.defaultOrders) {
        precondition(!orders.isEmpty && orders.allSatisfy { $0 > 1 }, "Rényi orders are above 1")
        self.orders = orders
        self.rdp = Array(repeating: 0, count: orders.count)
    }

    /// Adds `steps` steps of `mechanism`.
    public mutating func compose(_ mechanism: SubsampledGaussian, steps: Int) {
        precondition(steps >= 0, "a negative number of steps")
        for (index, order) in self.orders.enumerated() {
            self.rdp[index] += Double(steps) * mechanism.rdp(order: order)
        }
    }

    /// The smallest ε of an (ε, δ) guarantee for what was spent, and the order that gives it.
    public func epsilon(delta: Double) -> (epsilon: Double, order: Double) {
        precondition(delta > 0 && delta < 1, "δ lies strictly between 0 and 1")
        var best = (epsilon: Double.infinity, order: self.orders[0])
        for (order, rdp) in zip(self.orders, self.rdp) {
            let epsilon = rdp + log((order - 1) / order) - (log(delta) + log(order)) / (order - 1)
            if epsilon < best.epsilon { best = (max(epsilon, 0), order) }
        }
        return best
    }

    /// The ε that `steps` steps of sampling rate `samplingRate` and noise `noiseMultiplier` spend at `delta`.
    /// - Throws: the ``PrivacyError`` of ``SubsampledGaussian/init(samplingRate:noiseMultiplier:)``.
    public static func epsilon(
        samplingRate: Double, noiseMultiplier: Double, steps: Int, delta: Double, orders: [Double] = defaultOrders
    ) throws(PrivacyError) -> Double {
        var accountant = RDPAccountant(orders: orders)
        accountant.compose(try SubsampledGaussian(samplingRate: samplingRate, noiseMultiplier: noiseMultiplier), steps: steps)
        return accountant.epsilon(delta: delta).epsilon
    }

    /// The smallest noise multiplier (to 0.1 %) with which `steps` steps at `samplingRate` spend at most
    /// `targetEpsilon` at `delta`.
    /// - Throws: ``PrivacyError/unreachableEpsilon(target:noiseMultiplier:epsilon:)`` when even σ = 1,000 spends
    ///   more, and the errors of ``SubsampledGaussian/init(samplingRate:noiseMultiplier:)``.
    public static func noiseMultiplier(
        targetEpsilon: Double, samplingRate: Double, steps: Int, delta: Double, orders: [Double] = defaultOrders
    ) throws(PrivacyError) -> Double {
        try NoiseMultiplierSearch.smallest(within: targetEpsilon) { sigma throws(PrivacyError) in
            try Self.epsilon(samplingRate: samplingRate, noiseMultiplier: sigma, steps: steps, delta: delta, orders: orders)
        }
    }
}
