// How many DP-SGD steps an owner's local training takes in a round.

import Learning

extension LocalTrainingConfiguration {
    /// The DP-SGD steps an owner takes in one round: ``steps``, or ``epochs`` epochs of ⌈1/q⌉ steps; `nil` without
    /// ``privacy``.
    public var privateStepsPerRound: Int? {
        guard let privacy = self.privacy else { return nil }
        return self.steps ?? self.epochs * Int((1 / privacy.samplingRate).rounded(.up))
    }
}
