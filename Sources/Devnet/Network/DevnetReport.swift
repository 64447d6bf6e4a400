// What a devnet run shows: rounds, participants, lineage — as a table or as JSON.

internal import Learning

/// One round as the devnet saw it.
public struct DevnetRoundSummary: Sendable, Hashable, Codable {
    /// The round number.
    public var round: Int
    /// How the round ended (`new_version`, `too_few_accepted`, `regression`, …).
    public var result: String
    /// Test accuracy of the model after the round, on data no participant holds.
    public var testAccuracy: Double
    /// Test accuracy of centralized training on the pooled owners' data after as many rounds.
    public var centralizedAccuracy: Double
    /// The improvement in validation loss the attesters measured, in micro-nats (negative for a regression; 0
    /// when the round ended before attesting).
    public var improvement: Int64
    /// The standard error of ``improvement`` the attesters measured, in micro-nats.
    public var improvementError: Int64
    /// Updates submitted, accepted into the aggregate, and judged harmful.
    public var submitted: Int
    public var accepted: Int
    public var harmful: Int
    /// Tokens paid to contributors and evaluators in the round.
    public var rewarded: UInt64
    /// Stake slashed in the round.
    public var slashed: UInt64
    /// Wall-clock seconds the round took.
    public var seconds: Double
    /// Seconds the owners spent making their updates (local training), summed over the owners.
    public var trainingSeconds: Double
    /// Seconds the evaluators spent scoring, aggregating and evaluating, summed over the evaluators.
    public var evaluationSeconds: Double
}

/// One participant at the end of the run.
public struct DevnetParticipantSummary: Sendable, Hashable, Codable {
    /// A name for people: `owner-03`, `evaluator-1`.
    public var name: String
    /// The participant's address.
    public var address: String
    /// `data owner` or `evaluator`.
    public var role: String
    /// Samples it holds (training data for owners, held-out data for evaluators).
    public var samples: Int
    /// `honest`, or the attack of a malicious owner.
    public var behaviour: String
    /// Mean consensus score of its updates (owners), in units of validation-loss improvement.
    public var meanScore: Double?
    /// Rounds whose aggregate included its update.
    public var acceptedRounds: Int
    /// Tokens earned.
    public var earned: UInt64
    /// Stake slashed.
    public var slashed: UInt64
    /// The Shapley value of its updates over the run in the devnet's independent oracle (honest owners only).
    public var shapley: Double?
    /// The ε it spent at the task's δ, training with DP-SGD (owners of a private task only): the accountant's
    /// figure for every round it published an update.
    public var epsilon: Double?
    /// What its own check of its data found.
    public var data: DevnetDataQuality
}

/// What a participant's check of its own data finds before it trains: on a real network this report stays on its
/// machine; the devnet, which holds every participant's data, prints it for them.
public struct DevnetDataQuality: Sendable, Hashable, Codable {
    /// Cells missing from its rows, imputed with the training mean.
    public var missingCells: Int
    /// Its rows of each class, in the data's class order.
    public var classCounts: [Int]

    /// The check of the samples at `indices` of `data`'s training split.
    init(data: DevnetData, indices: [Int]) {
        self.missingCells = indices.reduce(0) { $0 + data.missingCells[$1] }
        var counts = [Int](repeating: 0, count: data.classCount)
        for index in indices { counts[data.train.labels[index]] += 1 }
        self.classCounts = counts
    }
}

/// One model version of the run's lineage.
public struct DevnetVersionSummary: Sendable, Hashable, Codable {
    public var version: Int
    public var round: Int
    public var model: String
    public var parent: String
    public var contributors: Int
    public var testAccuracy: Double
}

/// How well a backdoor took: of the test samples whose label is not the trigger's target, the fraction a model
/// classifies as the target once the trigger is stamped on them (``Federation/BackdoorTrigger/successRate(of:on:)``).
public struct DevnetBackdoorSummary: Sendable, Hashable, Codable {
    /// The label the trigger aims at.
    public var target: Int
    /// The final model's rate.
    public var successRate: Double
    /// The initial model's rate: what the trigger does to a model nobody poisoned.
    public var initialSuccessRate: Double
}

/// Everything a devnet run shows.
public struct DevnetReport: Sendable, Hashable, Codable {
    public var options: DevnetOptions
    /// Where the validator's API answers (while the run is kept running).
    public var apiURL: String
    public var taskID: UInt64
    /// The data's class names, class `i` being `classNames[i]`.
    public var classNames: [String]
    public var rounds: [DevnetRoundSummary]
    public var participants: [DevnetParticipantSummary]
    public var lineage: [DevnetVersionSummary]
    /// Test accuracy of the final model.
    public var finalAccuracy: Double
    /// Test accuracy of centralized training after the same number of rounds.
    public var centralizedAccuracy: Double
    /// The final model's blob hash.
    public var finalModel: String
    /// Share of all contributor rewards earned by the malicious owners.
    public var maliciousRewardShare: Double
    /// Spearman correlation of honest owners' rewards with their Shapley values in the independent oracle.
    public var rewardShapleyCorrelation: Double?
    /// The backdoor's success, when the malicious owners plant one (``Federation/Attack/backdoor``).
    public var backdoor: DevnetBackdoorSummary?
    /// Wall-clock seconds of the rounds, from round 1's opening to the task's completion.
    public var seconds: Double
}
