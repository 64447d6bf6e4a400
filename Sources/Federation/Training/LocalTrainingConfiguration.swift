// LocalTrainingConfiguration: how a data owner trains the global model on its own data in one round.

public import Learning

/// How a data owner trains the global model on its own data in one round (see ``trainLocalUpdate(spec:global:data:configuration:)``).
///
/// The defaults (1 epoch, batch 32, plain SGD with learning rate 0.1) were chosen by measurement on the digits
/// and breast-cancer data sets with standardized features: one round then moves an MLP from chance to most of its
/// final accuracy, without momentum state that would have to survive between rounds.
///
/// ```swift
/// let configuration = LocalTrainingConfiguration(epochs: 2, seed: round << 32 | participant)
/// ```
public struct LocalTrainingConfiguration: Codable, Sendable, Hashable {
    /// Passes over the local data per round, when ``steps`` is not set.
    public var epochs: Int
    /// Local optimizer steps (mini-batches) per round, whatever the size of the owner's data: an owner with a
    /// tiny shard then learns as much per round as one with a large shard (cycling through its data, reshuffled
    /// each pass). `nil` trains ``epochs`` passes instead.
    public var steps: Int?
    /// Samples per mini-batch.
    public var batchSize: Int
    /// The local optimizer; its state starts fresh every round.
    public var optimizer: OptimizerSpec
    /// The seed of shuffling (and dropout). Derive it from the round and the participant so rounds differ.
    public var seed: UInt64
    /// DP-SGD instead of shuffled mini-batches, when the task asks for it: Poisson sampling at rate q of the owner's
    /// data, each example's gradient clipped, Gaussian noise. A step is then a Poisson batch, and an epoch ⌈1/q⌉
    /// steps (``privateStepsPerRound``); a task's privacy terms account what an owner spends on the chain.
    public var privacy: DifferentialPrivacy?

    /// A local training configuration.
    public init(
        epochs: Int = 2,
        steps: Int? = nil,
        batchSize: Int = 32,
        optimizer: OptimizerSpec = OptimizerSpec(kind: .sgd, learningRate: 0.1, momentum: 0.9),
        seed: UInt64 = 0,
        privacy: DifferentialPrivacy? = nil
    ) {
        self.epochs = epochs
        self.steps = steps
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.seed = seed
        self.privacy = privacy
    }
}

// MARK: - Hashable

extension LocalTrainingConfiguration {
    // Written out because `OptimizerSpec` is only `Equatable`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.epochs)
        hasher.combine(self.steps)
        hasher.combine(self.batchSize)
        hasher.combine(self.optimizer.kind)
        hasher.combine(self.optimizer.learningRate)
        hasher.combine(self.optimizer.momentum)
        hasher.combine(self.optimizer.weightDecay)
        hasher.combine(self.seed)
        hasher.combine(self.privacy?.clippingNorm)
        hasher.combine(self.privacy?.noiseMultiplier)
        hasher.combine(self.privacy?.samplingRate)
    }

    public static func == (lhs: LocalTrainingConfiguration, rhs: LocalTrainingConfiguration) -> Bool {
        lhs.epochs == rhs.epochs && lhs.steps == rhs.steps && lhs.batchSize == rhs.batchSize && lhs.optimizer == rhs.optimizer
            && lhs.seed == rhs.seed && lhs.privacy == rhs.privacy
    }
}
