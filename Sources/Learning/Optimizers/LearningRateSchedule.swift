// LearningRateSchedule: how the learning rate changes over epochs.

import Foundation

/// The learning rate as a function of the epoch (0-based), given the base rate.
public enum LearningRateSchedule: Codable, Sendable, Equatable {
    /// The base rate throughout.
    case constant
    /// The base rate × `factor` every `every` epochs (PyTorch's `StepLR`).
    case step(every: Int, factor: Float)
    /// Cosine annealing from the base rate to `minimum` over `epochs` (PyTorch's `CosineAnnealingLR`).
    case cosine(epochs: Int, minimum: Float)
    /// Linear warm-up from base/`epochs` to the base rate over the first `epochs` epochs, then constant.
    case warmup(epochs: Int)

    /// The rate for `epoch`.
    public func rate(base: Float, epoch: Int) -> Float {
        switch self {
        case .constant:
            return base
        case .step(let every, let factor):
            return base * Float(pow(Double(factor), Double(epoch / max(every, 1))))
        case .cosine(let epochs, let minimum):
            let progress = Double(min(epoch, epochs)) / Double(max(epochs, 1))
            return minimum + (base - minimum) * Float((1 + cos(Double.pi * progress)) / 2)
        case .warmup(let epochs):
            return epoch >= epochs ? base : base * Float(epoch + 1) / Float(max(epochs, 1))
        }
    }
}
