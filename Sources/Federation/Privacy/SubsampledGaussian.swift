// The Rényi differential privacy of one step of DP-SGD: the Poisson-subsampled Gaussian mechanism.

import Foundation

/// One step of DP-SGD as a privacy mechanism: each example is in the batch with probability `samplingRate` (q,
/// Poisson sampling), the clipped per-example gradients are summed, and Gaussian noise of standard deviation
/// `noiseMultiplier` (σ) times the clipping norm is added.
///
/// ``rdp(order:)`` is its Rényi-DP ε at order α, computed as in Mironov, Talwar and Zhang, "Rényi Differential
/// Privacy of the Sampled Gaussian Mechanism" (2019): an exact finite sum for integer orders, and two converging
/// series of erfc terms for fractional ones, all in log space so that large orders neither overflow nor lose the
/// small terms.
public struct SubsampledGaussian: Sendable, Hashable {
    /// The probability that an example takes part in a step (q), in [0, 1].
    public let samplingRate: Double
    /// The noise's standard deviation over the clipping norm (σ), positive.
    public let noiseMultiplier: Double

    /// The mechanism sampling with rate `samplingRate` and adding noise `noiseMultiplier` × the clipping norm.
    /// - Throws: ``PrivacyError/samplingRateOutOfRange(_:)`` or ``PrivacyError/noiseNotPositive(_:)``.
    public init(samplingRate: Double, noiseMultiplier: Double) throws(PrivacyError) {
        guard samplingRate.isFinite, (0...1).contains(samplingRate) else { throw .samplingRateOutOfRange(samplingRate) }
        guard noiseMultiplier.isFinite, noiseMultiplier > 0 else { throw .noiseNotPositive(noiseMultiplier) }
        self.samplingRate = samplingRate
        self.noiseMultiplier = noiseMultiplier
    }

    /// The Rényi-DP ε of one step at `order` (α > 1); `.infinity` when the mechanism gives no bound there.
    public func rdp(order: Double) -> Double {
        precondition(order > 1, "Rényi orders are above 1")
        let (q, sigma) = (self.samplingRate, self.noiseMultiplier)
        if q == 0 { return 0 }
        if q == 1 { return order / (2 * sigma * sigma) }
        guard order.isFinite else { return .infinity }
        let logA = order.rounded() == order ? self.logAIntegerOrder(Int(order)) : self.logAFractionalOrder(order)
        return logA / (order - 1)
    }

    /// log A_α for an integer α: log Σᵢ C(α, i) qⁱ (1 − q)^(α − i) exp((i² − i) / 2σ²).
    private func logAIntegerOrder(_ alpha: Int) -> Double {
        let (q, sigma) = (self.samplingRate, self.noiseMultiplier)
        var logA = -Double.infinity
        for i in 0...alpha {
            let term = Self.logBinomial(Double(alpha), i) + Double(i) * log(q) + Double(alpha - i) * log1p(-q)
                + Double(i * i - i) / (2 * sigma * sigma)
            logA = LogSpace.add(logA, term)
        }
        return logA
    }

    /// log A_α for a fractional α: the two series of the paper's Section 3.3, summed until their terms fall below
    /// e⁻³⁰ of the total. Their binomial coefficients change sign past i = α, so each series is a signed sum in
    /// log space.
    private func logAFractionalOrder(_ alpha: Double) -> Double {
        let (q, sigma) = (self.samplingRate, self.noiseMultiplier)
        let z0 = sigma * sigma * log(1 / q - 1) + 0.5
        var series0 = SignedLogSum()
        var series1 = SignedLogSum()
        var coefficient = 1.0  // C(α, i), built up term by term
        var i = 0
        while true {
            // Past the range of doubles (orders in the thousands) the series cannot be summed: no bound.
            guard coefficient.isFinite, i < 100_000 else { return .infinity }
            let j = alpha - Double(i)
            let logCoefficient = log(abs(coefficient))
            let positive = coefficient > 0
            let logTerm0 = logCoefficient + Double(i) * log(q) + j * log1p(-q)
            let logTerm1 = logCoefficient + j * log(q) + Double(i) * log1p(-q)
            let logErfc0 = log(0.5) + LogSpace.erfc((Double(i) - z0) / (sqrt(2) * sigma))
            let logErfc1 = log(0.5) + LogSpace.erfc((z0 - j) / (sqrt(2) * sigma))
            let s0 = logTerm0 + (Double(i * i) - Double(i)) / (2 * sigma * sigma) + logErfc0
            let s1 = logTerm1 + (j * j - j) / (2 * sigma * sigma) + logErfc1
            series0.add(s0, positive: positive)
            series1.add(s1, positive: positive)
            if max(s0, s1) < -30 { break }
            coefficient *= (alpha - Double(i)) / Double(i + 1)
            i += 1
        }
        return LogSpace.add(series0.log, series1.log)
    }

    /// log C(n, k) for a real n ≥ k.
    private static func logBinomial(_ n: Double, _ k: Int) -> Double {
        lgamma(n + 1) - lgamma(Double(k) + 1) - lgamma(n - Double(k) + 1)
    }
}

/// A sum of positive and negative terms given by their logarithms, kept as a logarithm.
private struct SignedLogSum {
    private var logPositive = -Double.infinity
    private var logNegative = -Double.infinity

    mutating func add(_ logTerm: Double, positive: Bool) {
        if positive {
            self.logPositive = LogSpace.add(self.logPositive, logTerm)
        } else {
            self.logNegative = LogSpace.add(self.logNegative, logTerm)
        }
    }

    /// The logarithm of the sum (which the series keep positive).
    var log: Double { LogSpace.subtract(self.logPositive, self.logNegative) }
}

/// Arithmetic on numbers given by their natural logarithms.
enum LogSpace {
    /// log(eᵃ + eᵇ).
    static func add(_ a: Double, _ b: Double) -> Double {
        let (high, low) = (max(a, b), min(a, b))
        if low == -.infinity { return high }
        return high + log1p(exp(low - high))
    }

    /// log(eᵃ − eᵇ) for a ≥ b; −∞ when they are equal.
    static func subtract(_ a: Double, _ b: Double) -> Double {
        if b == -.infinity { return a }
        if a <= b { return -.infinity }
        return a + log1p(-exp(b - a))
    }

    /// log erfc(x), accurate where erfc(x) itself underflows (x above about 26), by its asymptotic series.
    static func erfc(_ x: Double) -> Double {
        guard x > 25 else { return log(Foundation.erfc(x)) }
        let inverseSquare = 1 / (x * x)
        let series = 1 - inverseSquare / 2 + 3 * inverseSquare * inverseSquare / 4
            - 15 * inverseSquare * inverseSquare * inverseSquare / 8
        return -x * x - log(x) - 0.5 * log(Double.pi) + log(series)
    }
}
