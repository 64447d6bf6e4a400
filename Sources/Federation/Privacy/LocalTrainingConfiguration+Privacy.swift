// What an owner's local training spends of its privacy, round after round.

import Learning

extension LocalTrainingConfiguration {
    /// The DP-SGD steps an owner takes in one round: ``steps``, or ``epochs`` epochs of ⌈1/q⌉ steps; `nil` without
    /// ``privacy``.
    public var privateStepsPerRound: Int? {
        guard let privacy = self.privacy else { return nil }
        return self.steps ?? self.epochs * Int((1 / privacy.samplingRate).rounded(.up))
    }

    /// The ε an owner has spent at `delta` after publishing the updates of `rounds` rounds trained this way (the
    /// accountant composes every step); `nil` without ``privacy``.
    /// - Throws: the ``PrivacyError`` of a mechanism the accountant cannot bound.
    public func epsilonSpent(rounds: Int, delta: Double) throws(PrivacyError) -> Double? {
        guard let privacy = self.privacy, let steps = self.privateStepsPerRound else { return nil }
        return try RDPAccountant.epsilon(
            samplingRate: privacy.samplingRate, noiseMultiplier: privacy.noiseMultiplier, steps: steps * max(rounds, 0),
            delta: delta)
    }
}
