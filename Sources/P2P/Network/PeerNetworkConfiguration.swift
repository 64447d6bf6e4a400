// PeerNetworkConfiguration: where a node listens, whom it dials, and how it treats peers.

/// How a node takes part in the peer-to-peer network: `config.json`'s `p2p` object.
public struct PeerNetworkConfiguration: Sendable, Hashable {
    /// The address to listen on.
    public var listenHost: String
    /// The port to listen on; 0 picks a free one.
    public var listenPort: Int
    /// The `HOST:PORT` other nodes reach this one at, told to peers; `nil`: the listen address, unless it is a
    /// wildcard (then the node does not advertise itself).
    public var externalAddress: String?
    /// Nodes always dialled, and redialled when their link ends.
    public var persistentPeers: [PeerAddress]
    /// The most links, persistent peers not counted against it.
    public var maxPeers: Int
    /// The most links this node dials itself to peers it learned by peer exchange.
    public var maxDialledPeers: Int
    /// Whether to ask peers for the nodes they know and dial them.
    public var peerExchange: Bool
    /// How often to look for nodes learned by peer exchange to dial.
    public var peerExchangeInterval: Duration
    /// What one peer may send.
    public var limits: PeerLimits
    /// How long a peer that sent what no honest node sends stays banned.
    public var banDuration: Duration
    /// The shortest and longest wait before dialling again a peer that could not be reached.
    public var dialBackoff: ClosedRange<Duration>
    /// Frames queued for one peer at most; beyond, the oldest are dropped (consensus sends again what matters).
    public var sendQueueCapacity: Int

    /// A configuration with every value given; the defaults listen on 127.0.0.1:26656.
    public init(
        listenHost: String = "127.0.0.1", listenPort: Int = 26_656, externalAddress: String? = nil,
        persistentPeers: [PeerAddress] = [], maxPeers: Int = 40, maxDialledPeers: Int = 10, peerExchange: Bool = true,
        peerExchangeInterval: Duration = .seconds(5), limits: PeerLimits = PeerLimits(), banDuration: Duration = .seconds(600),
        dialBackoff: ClosedRange<Duration> = .milliseconds(250) ... .seconds(10), sendQueueCapacity: Int = 16_384
    ) {
        self.listenHost = listenHost
        self.listenPort = listenPort
        self.externalAddress = externalAddress
        self.persistentPeers = persistentPeers
        self.maxPeers = maxPeers
        self.maxDialledPeers = maxDialledPeers
        self.peerExchange = peerExchange
        self.peerExchangeInterval = peerExchangeInterval
        self.limits = limits
        self.banDuration = banDuration
        self.dialBackoff = dialBackoff
        self.sendQueueCapacity = sendQueueCapacity
    }
}
