// ConsensusConfiguration: how a node that decides with peers paces its rounds.

public import Consensus

/// The round timeouts and gossip pace of a node that decides blocks with peers (`config.json`'s `consensus`).
public struct ConsensusConfiguration: Sendable, Hashable {
    /// The round timeouts; CometBFT's by default.
    public var timeouts: ConsensusTimeouts
    /// How often the node sends again what it heard at its height.
    public var gossipInterval: Duration

    /// A configuration with every value given.
    public init(timeouts: ConsensusTimeouts = ConsensusTimeouts(), gossipInterval: Duration = .seconds(1)) {
        self.timeouts = timeouts
        self.gossipInterval = gossipInterval
    }

    /// Timeouts and gossip for validators on one machine or one rack, what `deai testnet init` writes: a proposal
    /// awaited 1 s (+250 ms a round: validating a large block on a busy machine takes a while), votes 200 ms
    /// (+100 ms a round), a commit timeout of 200 ms (about four blocks a second, empty or not), gossip every
    /// 200 ms. Rounds move on as soon as the votes arrive; the timeouts only count when a validator is missing.
    public static let local = ConsensusConfiguration(
        timeouts: ConsensusTimeouts(
            propose: .seconds(1), proposeDelta: .milliseconds(250), prevote: .milliseconds(200),
            prevoteDelta: .milliseconds(100), precommit: .milliseconds(200), precommitDelta: .milliseconds(100),
            commit: .milliseconds(200)),
        gossipInterval: .milliseconds(200))
}
