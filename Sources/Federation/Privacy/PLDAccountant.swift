// The ε of DP-SGD by privacy loss distributions: tighter than RDP, for sizing σ before training.

import Foundation

/// An accountant by privacy loss distributions for T steps of the Poisson-subsampled Gaussian mechanism under
/// add-or-remove-one neighbours: the ε is the larger of the two directions' (removing an example, adding one),
/// each from its T-fold composed ``PrivacyLossDistribution``.
///
/// It gives Google's `dp-accounting` PLD figures (and Opacus's PRV ones, less their 0.01 error margin), 8–73 %
/// below the RDP bound on `dp_epsilon_vectors.json`. The chain's privacy ledger keeps RDP, whose rounds add up as
/// integers; this accountant answers what the same steps really spend.
public enum PLDAccountant {
    /// The loss grid's step, as Google's `PLDAccountant`.
    public static let defaultGridStep = 1e-4

    /// The ε that `steps` steps of sampling rate `samplingRate` and noise `noiseMultiplier` spend at `delta`.
    /// - Throws: the ``PrivacyError`` of ``SubsampledGaussian/init(samplingRate:noiseMultiplier:)``.
    public static func epsilon(
        samplingRate: Double, noiseMultiplier: Double, steps: Int, delta: Double, gridStep: Double = defaultGridStep
    ) throws(PrivacyError) -> Double {
        precondition(delta > 0 && delta < 1, "δ lies strictly between 0 and 1")
        precondition(steps >= 0, "a negative number of steps")
        let mechanism = try SubsampledGaussian(samplingRate: samplingRate, noiseMultiplier: noiseMultiplier)
        guard steps > 0, samplingRate > 0 else { return 0 }
        return [SubsampledGaussian.Neighbour.removed, .added].map { direction in
            // A grid too fine for the losses (σ tiny, ε in the hundreds) is coarsened until it fits.
            var step = gridStep
            while true {
                if let single = mechanism.privacyLossDistribution(direction, gridStep: step),
                    let composed = single.composed(times: steps)
                {
                    return composed.epsilon(delta: delta)
                }
                step *= 2
            }
        }.max() ?? 0
    }

    /// The smallest noise multiplier (to 0.1 %) with which `steps` steps at `samplingRate` spend at most
    /// `targetEpsilon` at `delta`.
    /// - Throws: as ``RDPAccountant/noiseMultiplier(targetEpsilon:samplingRate:steps:delta:orders:)``.
    public static func noiseMultiplier(
        targetEpsilon: Double, samplingRate: Double, steps: Int, delta: Double
    ) throws(PrivacyError) -> Double {
        try NoiseMultiplierSearch.smallest(within: targetEpsilon) { sigma throws(PrivacyError) in
            try Self.epsilon(samplingRate: samplingRate, noiseMultiplier: sigma, steps: steps, delta: delta)
        }
    }
}

extension SubsampledGaussian {
    /// Which neighbouring data set the output is drawn from: the one with the example (`removed`: the pair is
    /// (mixture, N(0, σ²))) or the one without (`added`: (N(0, σ²), mixture)).
    public enum Neighbour: Sendable { case removed, added }

    /// One step's PLD in `direction`, connecting the dots of its exact hockey-stick divergence on a grid that
    /// spans the losses with more than 10⁻¹⁶ of mass (within ±500: a loss beyond counts as infinite); `nil` when
    /// that takes more than `maximumLength` points of step `gridStep`.
    public func privacyLossDistribution(
        _ direction: Neighbour, gridStep: Double, maximumLength: Int = 1 << 22
    ) -> PrivacyLossDistribution? {
        let hockeyStick = { (epsilon: Double) in self.hockeyStick(direction, epsilon: epsilon) }
        // The removal's loss is at least log(1 − q), the addition's at most −log(1 − q) (unbounded when q = 1).
        // Elsewhere the grid reaches as far as the curve says there is mass.
        let logKept = log1p(-self.samplingRate)
        let lowest = direction == .removed && logKept.isFinite
            ? logKept : Self.walk(from: -1, by: -1) { hockeyStick($0) + expm1($0) > 1e-14 }
        let highest = direction == .added && logKept.isFinite
            ? -logKept : Self.walk(from: 1, by: 1) { hockeyStick($0) > 1e-16 }
        guard (highest - lowest) / gridStep < Double(maximumLength) else { return nil }
        let low = Int((lowest / gridStep).rounded(.down))
        let high = max(Int((highest / gridStep).rounded(.up)), low + 1)
        return PrivacyLossDistribution(connectingDotsOf: hockeyStick, indices: low...high, gridStep: gridStep)
    }

    /// The first of `start`, `start + step`, … at which `condition` fails, at most 500 away from 0.
    private static func walk(from start: Double, by step: Double, while condition: (Double) -> Bool) -> Double {
        var point = start
        while condition(point), abs(point) < 500 { point += step }
        return point
    }

    /// The exact δ(ε) of one step in `direction`, from the Gaussian mechanism's: with q the sampling rate,
    /// δ_removed(ε) = q·δ_G(log(1 + (e^ε − 1)/q)) above log(1 − q), 1 − e^ε below; and
    /// δ_added(ε) = c·δ_G(log(q·e^ε / c)) with c = 1 − (1 − q)·e^ε below −log(1 − q), 0 above.
    public func hockeyStick(_ direction: Neighbour, epsilon: Double) -> Double {
        let q = self.samplingRate
        switch direction {
        case .removed:
            // log(1 + (e^ε − 1)/q), written so that neither e^ε overflows nor the argument drops below −1.
            let shifted = epsilon > 0 ? epsilon - log(q) + log1p(-(1 - q) * exp(-epsilon)) : log1p(expm1(epsilon) / q)
            guard epsilon > log1p(-q), shifted.isFinite else { return -expm1(epsilon) }
            return q * self.gaussianHockeyStick(shifted)
        case .added:
            let kept = -expm1(epsilon + log1p(-q))
            guard kept > 0 else { return 0 }
            return kept * self.gaussianHockeyStick(log(q) + epsilon - log(kept))
        }
    }

    /// δ(ε) of the Gaussian mechanism of sensitivity 1 and noise σ: Φ(1/2σ − εσ) − e^ε·Φ(−1/2σ − εσ), the second
    /// term taken through its logarithm so that it neither overflows nor loses its tail.
    private func gaussianHockeyStick(_ epsilon: Double) -> Double {
        let sigma = self.noiseMultiplier
        let (upper, lower) = (1 / (2 * sigma) - epsilon * sigma, -1 / (2 * sigma) - epsilon * sigma)
        let first = 0.5 * erfc(-upper / 2.squareRoot())
        let second = 0.5 * exp(epsilon + LogSpace.erfc(-lower / 2.squareRoot()))
        return max(first - second, 0)
    }
}
