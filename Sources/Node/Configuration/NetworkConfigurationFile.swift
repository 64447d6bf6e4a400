// The `p2p` and `consensus` objects of `config.json`.

import Consensus
import DeAICore
import Foundation
import P2P

/// The JSON shape of `config.json`'s `p2p` object: every field optional.
struct PeerNetworkFile: Codable {
    var listen: String?
    var externalAddress: String?
    var persistentPeers: [String]?
    var maxPeers: Int?
    var peerExchange: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case listen
        case externalAddress = "external_address"
        case persistentPeers = "persistent_peers"
        case maxPeers = "max_peers"
        case peerExchange = "peer_exchange"
    }

    init(_ configuration: PeerNetworkConfiguration) {
        self.listen = Self.hostPort(configuration.listenHost, configuration.listenPort)
        self.externalAddress = configuration.externalAddress
        self.persistentPeers = configuration.persistentPeers.map(\.description)
        self.maxPeers = configuration.maxPeers
        self.peerExchange = configuration.peerExchange
    }

    /// The network configuration these keys give, the defaults for those missing.
    func configuration(invalid: (String, String) -> NodeError) throws -> PeerNetworkConfiguration {
        var configuration = PeerNetworkConfiguration()
        if let listen = self.listen {
            guard let (host, port) = Self.split(listen), (0...65_535).contains(port) else {
                throw invalid("p2p.listen", "must be HOST:PORT with a port of 0 to 65535")
            }
            (configuration.listenHost, configuration.listenPort) = (host, port)
        }
        if let external = self.externalAddress {
            guard let (_, port) = Self.split(external), (1...65_535).contains(port) else {
                throw invalid("p2p.external_address", "must be HOST:PORT with a port of 1 to 65535")
            }
            configuration.externalAddress = external
        }
        configuration.persistentPeers = try (self.persistentPeers ?? []).enumerated().map { index, text in
            do {
                return try PeerAddress(parsing: text)
            } catch {
                throw invalid("p2p.persistent_peers[\(index)]", "is not valid: \(error)")
            }
        }
        if let count = self.maxPeers {
            guard count > 0 else { throw invalid("p2p.max_peers", "must be positive") }
            configuration.maxPeers = count
        }
        if let exchange = self.peerExchange { configuration.peerExchange = exchange }
        return configuration
    }

    static func hostPort(_ host: String, _ port: Int) -> String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// `HOST:PORT` (`[IPv6]:PORT`) split.
    static func split(_ text: String) -> (String, Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }
}

/// The JSON shape of `config.json`'s `consensus` object: every field optional, in milliseconds.
struct ConsensusFile: Codable {
    var timeoutProposeMs: Int?
    var timeoutProposeDeltaMs: Int?
    var timeoutVoteMs: Int?
    var timeoutVoteDeltaMs: Int?
    var timeoutCommitMs: Int?
    var gossipIntervalMs: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case timeoutProposeMs = "timeout_propose_ms"
        case timeoutProposeDeltaMs = "timeout_propose_delta_ms"
        case timeoutVoteMs = "timeout_vote_ms"
        case timeoutVoteDeltaMs = "timeout_vote_delta_ms"
        case timeoutCommitMs = "timeout_commit_ms"
        case gossipIntervalMs = "gossip_interval_ms"
    }

    init(_ configuration: ConsensusConfiguration) {
        let timeouts = configuration.timeouts
        self.timeoutProposeMs = Int(timeouts.propose.milliseconds)
        self.timeoutProposeDeltaMs = Int(timeouts.proposeDelta.milliseconds)
        self.timeoutVoteMs = Int(timeouts.prevote.milliseconds)
        self.timeoutVoteDeltaMs = Int(timeouts.prevoteDelta.milliseconds)
        self.timeoutCommitMs = Int(timeouts.commit.milliseconds)
        self.gossipIntervalMs = Int(configuration.gossipInterval.milliseconds)
    }

    /// The consensus configuration these keys give, the defaults for those missing.
    func configuration(invalid: (String, String) -> NodeError) throws -> ConsensusConfiguration {
        func milliseconds(_ value: Int?, _ key: String, minimum: Int) throws -> Duration? {
            guard let value else { return nil }
            guard value >= minimum else { throw invalid("consensus.\(key)", "must be at least \(minimum)") }
            return .milliseconds(value)
        }
        var configuration = ConsensusConfiguration()
        var timeouts = configuration.timeouts
        timeouts.propose = try milliseconds(self.timeoutProposeMs, "timeout_propose_ms", minimum: 1) ?? timeouts.propose
        timeouts.proposeDelta = try milliseconds(self.timeoutProposeDeltaMs, "timeout_propose_delta_ms", minimum: 0) ?? timeouts.proposeDelta
        timeouts.prevote = try milliseconds(self.timeoutVoteMs, "timeout_vote_ms", minimum: 1) ?? timeouts.prevote
        timeouts.prevoteDelta = try milliseconds(self.timeoutVoteDeltaMs, "timeout_vote_delta_ms", minimum: 0) ?? timeouts.prevoteDelta
        (timeouts.precommit, timeouts.precommitDelta) = (timeouts.prevote, timeouts.prevoteDelta)
        timeouts.commit = try milliseconds(self.timeoutCommitMs, "timeout_commit_ms", minimum: 0) ?? timeouts.commit
        configuration.timeouts = timeouts
        configuration.gossipInterval = try milliseconds(self.gossipIntervalMs, "gossip_interval_ms", minimum: 1) ?? configuration.gossipInterval
        return configuration
    }
}
