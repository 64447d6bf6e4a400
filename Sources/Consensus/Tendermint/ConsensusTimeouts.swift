// ConsensusTimeouts: how long a validator waits in each step before it moves on without the others.

/// How long a validator waits for a proposal, for prevotes and for precommits in a round, each growing with the
/// round so that a network slower than the first guess still decides (partial synchrony), and how long it gathers
/// late precommits after a decision before it starts the next height.
///
/// The defaults are CometBFT's: propose 3 s, prevote and precommit 1 s, each +0.5 s per round, commit 1 s.
/// ``local`` suits validators on one machine or one rack.
///
/// ```swift
/// let timeouts = ConsensusTimeouts.local
/// let wait = timeouts.duration(of: .propose, round: 2)   // 150 ms + 2 × 25 ms
/// ```
public struct ConsensusTimeouts: Sendable, Hashable {
    /// The step a timeout guards.
    public enum Step: UInt8, Sendable, Hashable, Comparable {
        case propose = 1
        case prevote = 2
        case precommit = 3

        public static func < (lhs: Step, rhs: Step) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The wait for a proposal in round 0.
    public var propose: Duration
    /// Added to ``propose`` per round.
    public var proposeDelta: Duration
    /// The wait for the rest of the prevotes once more than two thirds of the power prevoted, in round 0.
    public var prevote: Duration
    /// Added to ``prevote`` per round.
    public var prevoteDelta: Duration
    /// The wait for the rest of the precommits once more than two thirds of the power precommitted, in round 0.
    public var precommit: Duration
    /// Added to ``precommit`` per round.
    public var precommitDelta: Duration
    /// The wait after a decision before the next height starts, to gather late precommits into the commit.
    public var commit: Duration

    /// Timeouts with every value given; the defaults are CometBFT's.
    public init(
        propose: Duration = .seconds(3), proposeDelta: Duration = .milliseconds(500),
        prevote: Duration = .seconds(1), prevoteDelta: Duration = .milliseconds(500),
        precommit: Duration = .seconds(1), precommitDelta: Duration = .milliseconds(500),
        commit: Duration = .seconds(1)
    ) {
        self.propose = propose
        self.proposeDelta = proposeDelta
        self.prevote = prevote
        self.prevoteDelta = prevoteDelta
        self.precommit = precommit
        self.precommitDelta = precommitDelta
        self.commit = commit
    }

    /// Timeouts for validators a few milliseconds apart: propose 150 ms, prevote and precommit 50 ms, each +25 ms
    /// per round, commit 10 ms.
    public static let local = ConsensusTimeouts(
        propose: .milliseconds(150), proposeDelta: .milliseconds(25), prevote: .milliseconds(50),
        prevoteDelta: .milliseconds(25), precommit: .milliseconds(50), precommitDelta: .milliseconds(25),
        commit: .milliseconds(10))

    /// The wait of `step` in `round`.
    public func duration(of step: Step, round: UInt32) -> Duration {
        let rounds = Int(min(round, 10_000))
        switch step {
        case .propose: return self.propose + self.proposeDelta * rounds
        case .prevote: return self.prevote + self.prevoteDelta * rounds
        case .precommit: return self.precommit + self.precommitDelta * rounds
        }
    }
}
