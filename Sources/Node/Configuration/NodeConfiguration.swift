// How a node runs: its API, chain limits, block interval, log level and training roles.

public import APITypes
public import Consensus
public import Logging
public import P2P

/// Everything that configures a running node, composed of the layers' own configurations.
///
/// Tests build it directly; `deai start` reads it from the home's `config.json` (see
/// ``NodeConfiguration/init(contentsOf:)``) and then applies its command-line options.
public struct NodeConfiguration: Sendable {
    /// The HTTP API: host, port, body limit.
    public var api: APIConfiguration
    /// The chain: mempool bounds, block size.
    public var chain: ChainConfiguration
    /// The longest time between two blocks.
    public var blockInterval: Duration
    /// When set, a block is produced as soon as transactions wait, checked this often; `nil` produces blocks
    /// on the ``blockInterval`` schedule only.
    public var eagerBlockInterval: Duration?
    /// The least severe level that is logged.
    public var logLevel: Logger.Level
    /// The training roles `deai start` runs beside the node, in the order of `config.json`.
    public var roles: [RoleConfiguration]
    /// The peer-to-peer network; `nil`: the node runs alone and its validator decides every block.
    public var p2p: PeerNetworkConfiguration?
    /// How the node paces consensus rounds with its peers (used with ``p2p``).
    public var consensus: ConsensusConfiguration

    /// A configuration with the defaults: API on 127.0.0.1:26657, one block per second, `info` logs, no roles, no
    /// peers.
    public init(
        api: APIConfiguration = APIConfiguration(),
        chain: ChainConfiguration = ChainConfiguration(),
        blockInterval: Duration = .seconds(1),
        eagerBlockInterval: Duration? = nil,
        logLevel: Logger.Level = .info,
        roles: [RoleConfiguration] = [],
        p2p: PeerNetworkConfiguration? = nil,
        consensus: ConsensusConfiguration = ConsensusConfiguration()
    ) {
        self.api = api
        self.chain = chain
        self.blockInterval = blockInterval
        self.eagerBlockInterval = eagerBlockInterval
        self.logLevel = logLevel
        self.roles = roles
        self.p2p = p2p
        self.consensus = consensus
    }
}
