// The privacy loss distribution of a mechanism on a grid, its composition and its (ε, δ).

import Foundation

/// The privacy loss distribution (PLD) of a mechanism on one ordered pair of neighbouring data sets (P, Q): the law
/// of the loss L = log(P(o) / Q(o)) of an output o drawn from P, with masses on a grid of step h and a mass at +∞
/// for outputs that Q cannot give.
///
/// Its hockey-stick divergence δ(ε) = E[(1 − e^(ε − L))₊] is the δ of the mechanism's (ε, δ) guarantee. Losses add
/// when mechanisms compose, so the PLD of T steps is the T-fold convolution of one step's, which
/// ``composed(times:tailMass:maximumLength:)`` computes with one Fourier transform.
///
/// Every approximation is pessimistic: a PLD built here has a δ(ε) curve at or above the exact one everywhere (up to
/// floating-point rounding, far below any δ asked for), so the ε it gives is a valid bound.
/// - One step's masses "connect the dots" (Doroshenko, Ghazi, Kamath, Kumar and Manurangsi, "Connect the Dots:
///   Tighter Discrete Approximations of Privacy Loss Distributions", 2022): they are chosen so that the discrete
///   δ(ε) equals the exact one at every grid point and is its chord (in e^ε) between them. The exact curve is
///   convex in e^ε, so the chord lies above it, and unlike rounding each loss up, the error does not grow with the
///   number of steps.
/// - Loss below the grid is gathered at its lowest point; above it, at +∞.
/// - The composition's mass outside a window found by a Chernoff bound is counted at +∞.
public struct PrivacyLossDistribution: Sendable, Hashable {
    /// The grid step h: the masses sit at losses k·h.
    public let gridStep: Double
    /// The k of `masses[0]`.
    public let lowestIndex: Int
    /// The probability of each loss `(lowestIndex + i) · gridStep`.
    public let masses: [Double]
    /// The probability of an infinite loss (and of whatever was truncated, counted as one).
    public let infinityMass: Double

    /// The loss of `masses[index]`.
    func loss(at index: Int) -> Double { Double(self.lowestIndex + index) * self.gridStep }

    /// The PLD on grid points `indices` whose δ(ε) is `hockeyStick` at every one of them (connecting the dots).
    /// `hockeyStick` is the exact δ(ε) of the pair, non-increasing and convex in e^ε, from 1 towards 0.
    init(connectingDotsOf hockeyStick: (Double) -> Double, indices: ClosedRange<Int>, gridStep: Double) {
        precondition(indices.count >= 2, "a PLD needs two grid points")
        let deltas = indices.map { hockeyStick(Double($0) * gridStep) }
        guard deltas.allSatisfy(\.isFinite) else {
            // A curve the arithmetic could not follow: no bound, rather than a wrong one.
            self.init(gridStep: gridStep, lowestIndex: indices.lowerBound, masses: [0], infinityMass: 1)
            return
        }
        // drops[i]: how much δ falls from point i to point i + 1. The mass at point i is e^(εᵢ) times the change of
        // δ's slope in e^ε there, which needs no e^ε: (e^h·drops[i − 1] − drops[i]) / (e^h − 1).
        let drops = (0..<(deltas.count - 1)).map { max(deltas[$0] - deltas[$0 + 1], 0) }
        var masses = [Double](repeating: 0, count: deltas.count)
        for i in 1..<deltas.count {
            let below = exp(gridStep) * drops[i - 1]
            masses[i] = max((below - (i < drops.count ? drops[i] : 0)) / expm1(gridStep), 0)
        }
        let infinity = max(deltas[deltas.count - 1], 0)
        // The lowest point takes the rest: δ then runs from 1 at e^ε = 0 to δ(lowest) in a line, above the exact
        // curve, whatever loss lay below the grid.
        masses[0] = max(1 - infinity - masses.dropFirst().reduce(0, +), 0)
        self.init(gridStep: gridStep, lowestIndex: indices.lowerBound, masses: masses, infinityMass: infinity)
    }

    init(gridStep: Double, lowestIndex: Int, masses: [Double], infinityMass: Double) {
        self.gridStep = gridStep
        self.lowestIndex = lowestIndex
        self.masses = masses
        self.infinityMass = infinityMass
    }

    /// The PLD of `times` independent runs of this mechanism; `nil` when its window would need more than
    /// `maximumLength` grid points (a coarser grid then does).
    ///
    /// The sum of the losses is computed modulo the length n of a window that holds all but `tailMass` of it on
    /// each side (a Chernoff bound on the log-moment-generating function), as the inverse transform of the
    /// transform raised to the power `times`. Mass from below the window wraps to where it only raises δ; the
    /// upper tail is added to the mass at +∞.
    public func composed(times: Int, tailMass: Double = 1e-15, maximumLength: Int = 1 << 22) -> PrivacyLossDistribution? {
        precondition(times >= 1, "a composition of at least one run")
        let steps = Double(times)
        let infinity = min(-expm1(steps * log1p(-self.infinityMass)) + tailMass, 1)
        let window = self.window(steps: steps, tailMass: tailMass)
        guard window.lower.isFinite, window.upper.isFinite, window.lower <= window.upper else {
            // No finite loss has mass: every run's loss is infinite.
            return PrivacyLossDistribution(gridStep: self.gridStep, lowestIndex: 0, masses: [0], infinityMass: 1)
        }
        guard window.upper - window.lower < Double(maximumLength) * self.gridStep else { return nil }
        let low = Int((window.lower / self.gridStep).rounded(.down))
        let high = Int((window.upper / self.gridStep).rounded(.up))
        var length = 1
        while length < high - low + 1 { length *= 2 }
        guard length <= maximumLength else { return nil }
        var real = [Double](repeating: 0, count: length)
        var imaginary = [Double](repeating: 0, count: length)
        for (index, mass) in self.masses.enumerated() { real[index % length] += mass }
        let transform = FourierTransform(count: length)
        transform.transform(real: &real, imaginary: &imaginary)
        for index in 0..<length {
            let modulus = (real[index] * real[index] + imaginary[index] * imaginary[index]).squareRoot()
            guard modulus > 0 else { continue }
            let scaled = exp(steps * log(modulus))
            let angle = steps * atan2(imaginary[index], real[index])
            (real[index], imaginary[index]) = (scaled * cos(angle), scaled * sin(angle))
        }
        transform.transform(real: &real, imaginary: &imaginary, inverse: true)
        // Position j holds the sums congruent to j + times·lowestIndex modulo the length.
        let shift = times * self.lowestIndex
        let masses = (low..<(low + length)).map { sum in
            max(real[((sum - shift) % length + length) % length], 0)
        }
        return PrivacyLossDistribution(gridStep: self.gridStep, lowestIndex: low, masses: masses, infinityMass: infinity)
    }

    /// The losses between which the sum of `steps` runs falls but for `tailMass` on each side, by Chernoff bounds
    /// over a ladder of exponents: P(S ≥ u) ≤ exp(T·K(λ) − λu) for λ > 0, K the log moment generating function.
    private func window(steps: Double, tailMass: Double) -> (lower: Double, upper: Double) {
        let (lowest, highest) = (self.loss(at: 0) * steps, self.loss(at: self.masses.count - 1) * steps)
        var (lower, upper) = (lowest, highest)
        for power in -8...12 {
            let exponent = pow(2, Double(power))
            upper = min(upper, (steps * self.logMoment(exponent) - log(tailMass)) / exponent)
            lower = max(lower, (steps * self.logMoment(-exponent) - log(tailMass)) / -exponent)
        }
        return (lower, upper)
    }

    /// log Σₖ massₖ·e^(λ·lossₖ), the log moment generating function of the finite losses.
    private func logMoment(_ exponent: Double) -> Double {
        var result = -Double.infinity
        for (index, mass) in self.masses.enumerated() where mass > 0 {
            result = LogSpace.add(result, log(mass) + exponent * self.loss(at: index))
        }
        return result
    }

    /// δ(ε) = P(L = ∞) + Σ massₖ·(1 − e^(ε − lossₖ)) over the losses above ε.
    public func delta(epsilon: Double) -> Double {
        var delta = self.infinityMass
        for (index, mass) in self.masses.enumerated() where mass > 0 && self.loss(at: index) > epsilon {
            delta += mass * -expm1(epsilon - self.loss(at: index))
        }
        return min(delta, 1)
    }

    /// The smallest ε ≥ 0 with δ(ε) ≤ `delta`; `.infinity` when the mass at +∞ alone exceeds it.
    ///
    /// Between two grid points δ(ε) = A − e^ε·B, with A and B sums over the masses above. They are accumulated
    /// from the top down until δ at a grid point exceeds the target, and the crossing is solved for exactly. B is
    /// kept times e^(the current loss), which stays within the masses' total, so no loss overflows.
    public func epsilon(delta: Double) -> Double {
        precondition(delta > 0 && delta < 1, "δ lies strictly between 0 and 1")
        guard self.infinityMass < delta else { return .infinity }
        var above = self.infinityMass
        // Σ over the masses above the current point of mass · e^(current loss − its loss).
        var relativeWeight = 0.0
        for index in self.masses.indices.reversed() {
            let loss = self.loss(at: index)
            if index + 1 < self.masses.count {
                relativeWeight = (relativeWeight + self.masses[index + 1]) * exp(-self.gridStep)
            }
            if above - relativeWeight > delta {
                // δ(ε) = above − e^(ε − loss)·relativeWeight on (loss, next loss].
                return max(loss + log((above - delta) / relativeWeight), 0)
            }
            // δ(loss) is within the target at a loss ≤ 0, so δ(0) is too.
            guard loss > 0 else { return 0 }
            above += self.masses[index]
        }
        // Below the lowest point every mass is above: δ(ε) = 1 − e^(ε − lowest)·(relativeWeight + its mass).
        let weight = relativeWeight + (self.masses.first ?? 0)
        return weight > 0 ? max(self.loss(at: 0) + log((above - delta) / weight), 0) : 0
    }
}
