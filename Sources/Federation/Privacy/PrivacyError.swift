// PrivacyError: a differential-privacy configuration that cannot be accounted for.

/// Why a differential-privacy configuration cannot be used, worded for the person who chose it (the errors reach
/// `deai privacy` and a task's sponsor as they are).
public enum PrivacyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The sampling rate is not a probability.
    case samplingRateOutOfRange(Double)
    /// The noise multiplier is zero, negative or not finite.
    case noiseNotPositive(Double)
    /// The privacy target is zero, negative or not finite.
    case epsilonNotPositive(Double)
    /// Even noise multiplier `noiseMultiplier` spends `epsilon`, more than `target`.
    case unreachableEpsilon(target: Double, noiseMultiplier: Double, epsilon: Double)
    /// A chain accounts at Rényi orders in tenths above 1; these are not.
    case ordersNotInTenths([Double])
    /// `name` is `value`, not in (0, `limit`].
    case outOfRange(name: String, value: Double, limit: Double)

    public var description: String {
        switch self {
        case .samplingRateOutOfRange(let rate):
            "the sampling rate q must lie in [0, 1]; it is \(rate)"
        case .noiseNotPositive(let sigma):
            "the noise multiplier σ must be positive; it is \(sigma)"
        case .epsilonNotPositive(let epsilon):
            "the privacy target ε must be positive; it is \(epsilon)"
        case .unreachableEpsilon(let target, let sigma, let epsilon):
            "no noise multiplier reaches ε = \(target): even σ = \(sigma) spends ε = \(epsilon); take fewer steps or "
                + "a lower sampling rate"
        case .ordersNotInTenths(let orders):
            "a task's Rényi orders must be tenths above 1 and at most 256 (1.1, 1.2, …, 63); \(orders) are not"
        case .outOfRange(let name, let value, let limit):
            "\(name) must lie in (0, \(limit)]; it is \(value)"
        }
    }
}
