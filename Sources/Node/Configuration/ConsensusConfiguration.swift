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

    /// Timeouts and gossip for validators on one machine or one rack: ``Consensus/ConsensusTimeouts/local`` with a
    /// commit timeout of 200 ms (about four blocks a second, empty or not), gossip every 200 ms. What
    /// `deai testnet init` writes.
    public static let local: ConsensusConfiguration = {
        var timeouts = ConsensusTimeouts.local
        timeouts.commit = .milliseconds(200)
        return ConsensusConfiguration(timeouts: timeouts, gossipInterval: .milliseconds(200))
    }()
}
