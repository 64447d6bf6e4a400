// How many DP-SGD steps an owner's local training takes in a round.

import Learning

extension LocalTrainingConfiguration {
    /// The DP-SGD steps an owner takes in one round: ``steps``, or ``epochs`` epochs of ⌈1/q⌉ steps; `nil` without
    /// ``privacy``.
    public var privateStepsPerRound: Int? {
        self.privacy.map { self.privateSteps(samplingRate: $0.samplingRate) }
    }

    /// The DP-SGD steps one round would take at sampling rate `samplingRate`: ``steps``, or ``epochs`` epochs of
    /// ⌈1/q⌉ steps.
    public func privateSteps(samplingRate: Double) -> Int {
        self.steps ?? self.epochs * Int((1 / samplingRate).rounded(.up))
    }
}
