// LocalUpdate: what a data owner submits after training one round.

/// One data owner's contribution to a round: the model delta, how many samples produced it and the training loss.
///
/// The delta is what goes into a vector blob (``encodeVector(_:as:)``); the sample count is posted on chain and
/// weights the update in FedAvg.
public struct LocalUpdate: Sendable, Hashable {
    /// Trained parameters minus the global parameters, in the model's flat parameter order.
    public var delta: [Float]
    /// The number of local samples trained on.
    public var sampleCount: UInt64
    /// The mean training loss over the last local epoch (a diagnostic; never trusted by evaluators).
    public var trainingLoss: Double

    /// An update.
    public init(delta: [Float], sampleCount: UInt64, trainingLoss: Double) {
        self.delta = delta
        self.sampleCount = sampleCount
        self.trainingLoss = trainingLoss
    }
}
