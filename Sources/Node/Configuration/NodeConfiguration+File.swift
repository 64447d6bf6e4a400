// NodeConfiguration read from and written to `config.json`.

import APITypes
import Consensus
import DeAICore
public import Foundation
import Logging

extension NodeConfiguration {
    /// Reads `config.json`. Every key is optional; a missing key keeps its default:
    ///
    /// - `api.host` (string, default: `"127.0.0.1"`): the address the HTTP API binds to.
    /// - `api.port` (int, default: 26657): the API port; 0 picks a free port.
    /// - `api.max_body_bytes` (int, default: 1048576): larger request bodies are refused.
    /// - `api.max_waiting_requests` (int, default: 1024): long-polls and submissions waiting for receipts held at
    ///   once; one more long-poll is refused with 429 and `Retry-After`.
    /// - `api.max_connections` (int, default: 1024): API connections held at once; one more is answered with 429
    ///   and closed.
    /// - `api.max_connections_per_client` (int, default: 256): API connections held at once from one address.
    /// - `blobs.quota_bytes_per_stake` (int, default: 65536): bytes of blobs the chain does not name yet that each
    ///   token an account has at stake lets it store on the node at once (``APITypes/BlobPolicy``).
    /// - `blobs.quota_bytes_per_account` (int, default: 1073741824): the most such bytes of one account.
    /// - `blobs.max_total_bytes` (int, default: 68719476736): bytes the blob store holds at most.
    /// - `blobs.unreferenced_grace_seconds` (int, default: 3600): how long a blob the chain does not name is kept.
    /// - `block_interval_ms` (int, default: 1000): longest milliseconds between blocks, at least 1.
    /// - `eager_block_interval_ms` (int, default: none): when set, a block is produced as soon as transactions
    ///   wait, checked every this many milliseconds (at least 1).
    /// - `mempool.max_transactions` (int, default: 50000): transactions the mempool holds at most.
    /// - `mempool.max_bytes` (int, default: 67108864): bytes of transactions the mempool holds at most.
    /// - `max_block_transactions` (int, default: 20000): transactions a produced block carries at most.
    /// - `log_level` (string, default: `"info"`): `trace`, `debug`, `info`, `notice`, `warning`, `error`, `critical`.
    /// - `roles` (array, default: empty): training roles run beside the node (``RoleConfiguration``), each an
    ///   object with `kind` (`"trainer"` or `"evaluator"`), `task` (int), `key` (a key name in `keys/`), `data`
    ///   (a CSV path, relative to the directory of `config.json`), and optionally `target` (the CSV's target
    ///   column, default: the last) and `stake` (int: join the task with this stake if the key is not a member).
    /// - `p2p` (object, default: none — the node runs alone): the peer-to-peer network. `listen` (`"HOST:PORT"`,
    ///   default `"127.0.0.1:26656"`), `external_address` (`"HOST:PORT"` told to peers, default: the listen
    ///   address), `persistent_peers` (array of `"NODEKEY@HOST:PORT"`, always dialled), `max_peers` (int, default
    ///   40), `peer_exchange` (bool, default true: learn and dial the nodes peers know).
    /// - `consensus` (object, used with `p2p`): round timeouts in milliseconds — `timeout_propose_ms` (3000),
    ///   `timeout_propose_delta_ms` (500), `timeout_vote_ms` (1000, prevote and precommit),
    ///   `timeout_vote_delta_ms` (500), `timeout_commit_ms` (1000) — and `gossip_interval_ms` (1000).
    ///
    /// - Throws: ``NodeError`` (`invalidConfiguration`, `homeNotInitialized`) naming the file and the bad key.
    public init(contentsOf path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw NodeError(.homeNotInitialized, "no configuration file at \(path): run `deai init` first")
        }
        try self.init(
            json: try SecureFile.read(path), source: path,
            relativeTo: (path as NSString).deletingLastPathComponent
        )
    }

    /// Parses the JSON of a `config.json` (see ``init(contentsOf:)`` for the keys).
    ///
    /// - Parameters:
    ///   - source: Where the JSON comes from, for error messages.
    ///   - directory: Where relative paths (a role's `data`) start; `nil` for the current directory.
    /// - Throws: ``NodeError`` (`invalidConfiguration`).
    public init(json data: Data, source: String, relativeTo directory: String? = nil) throws {
        if let unknown = ConfigurationKeys.unknownKey(in: data) {
            throw NodeError(.invalidConfiguration, "configuration file \(source): \(unknown)")
        }
        let file: ConfigurationFile
        do {
            file = try JSONDecoder().decode(ConfigurationFile.self, from: data)
        } catch let error as DecodingError {
            throw NodeError(
                .invalidConfiguration, "configuration file \(source) is not valid: \(error.configurationDescription)"
            )
        } catch {
            throw NodeError(.invalidConfiguration, "configuration file \(source) is not valid", cause: error)
        }
        self.init()
        try file.apply(to: &self, source: source, relativeTo: directory)
    }

    /// The configuration as `config.json`, every key written out.
    public var jsonBytes: [UInt8] {
        let file = ConfigurationFile(
            api: .init(
                host: self.api.host, port: self.api.port, maxBodyBytes: self.api.maxBodyBytes,
                maxWaitingRequests: self.api.maxWaitingRequests, maxConnections: self.api.maxConnections,
                maxConnectionsPerClient: self.api.maxConnectionsPerClient),
            blobs: .init(
                quotaBytesPerAccount: self.api.blobs.quotaBytesPerAccount,
                quotaBytesPerStake: self.api.blobs.quotaBytesPerStake, maxTotalBytes: self.api.blobs.maxTotalBytes,
                unreferencedGraceSeconds: self.api.blobs.unreferencedGraceSeconds),
            blockIntervalMs: Int(self.blockInterval.milliseconds),
            eagerBlockIntervalMs: self.eagerBlockInterval.map { Int($0.milliseconds) },
            mempool: .init(
                maxTransactions: self.chain.mempool.maxTransactions,
                maxBytes: self.chain.mempool.maxBytes
            ),
            maxBlockTransactions: self.chain.maxBlockTransactions,
            logLevel: self.logLevel.rawValue,
            roles: self.roles.isEmpty ? nil : self.roles.map(RoleConfigurationFile.init),
            p2p: self.p2p.map(PeerNetworkFile.init),
            consensus: self.p2p == nil ? nil : ConsensusFile(self.consensus)
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding strings and integers cannot fail.
        return Array((try? encoder.encode(file)) ?? Data()) + [UInt8(ascii: "\n")]
    }
}

/// The JSON shape of `config.json`: every field optional.
struct ConfigurationFile: Codable {
    struct API: Codable {
        var host: String?
        var port: Int?
        var maxBodyBytes: Int?
        var maxWaitingRequests: Int?
        var maxConnections: Int?
        var maxConnectionsPerClient: Int?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case host, port
            case maxBodyBytes = "max_body_bytes"
            case maxWaitingRequests = "max_waiting_requests"
            case maxConnections = "max_connections"
            case maxConnectionsPerClient = "max_connections_per_client"
        }
    }

    struct Blobs: Codable {
        var quotaBytesPerAccount: Int?
        var quotaBytesPerStake: Int?
        var maxTotalBytes: Int?
        var unreferencedGraceSeconds: Int?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case quotaBytesPerAccount = "quota_bytes_per_account"
            case quotaBytesPerStake = "quota_bytes_per_stake"
            case maxTotalBytes = "max_total_bytes"
            case unreferencedGraceSeconds = "unreferenced_grace_seconds"
        }
    }

    struct Mempool: Codable {
        var maxTransactions: Int?
        var maxBytes: Int?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case maxTransactions = "max_transactions"
            case maxBytes = "max_bytes"
        }
    }

    var api: API?
    var blobs: Blobs?
    var blockIntervalMs: Int?
    var eagerBlockIntervalMs: Int?
    var mempool: Mempool?
    var maxBlockTransactions: Int?
    var logLevel: String?
    var roles: [RoleConfigurationFile]?
    var p2p: PeerNetworkFile?
    var consensus: ConsensusFile?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case api
        case blobs
        case blockIntervalMs = "block_interval_ms"
        case eagerBlockIntervalMs = "eager_block_interval_ms"
        case mempool
        case maxBlockTransactions = "max_block_transactions"
        case logLevel = "log_level"
        case roles
        case p2p
        case consensus
    }

    func apply(to configuration: inout NodeConfiguration, source: String, relativeTo directory: String?) throws {
        func invalid(_ key: String, _ reason: String) -> NodeError {
            NodeError(.invalidConfiguration, "configuration file \(source): \(key) \(reason)")
        }
        func setPositive(_ value: Int?, _ key: String, _ setting: inout Int) throws {
            guard let value else { return }
            guard value > 0 else { throw invalid(key, "must be positive") }
            setting = value
        }
        if let host = self.api?.host { configuration.api.host = host }
        if let port = self.api?.port {
            guard (0...65_535).contains(port) else { throw invalid("api.port", "must be 0 to 65535") }
            configuration.api.port = port
        }
        try setPositive(self.api?.maxBodyBytes, "api.max_body_bytes", &configuration.api.maxBodyBytes)
        try setPositive(self.api?.maxWaitingRequests, "api.max_waiting_requests", &configuration.api.maxWaitingRequests)
        try setPositive(self.api?.maxConnections, "api.max_connections", &configuration.api.maxConnections)
        try setPositive(
            self.api?.maxConnectionsPerClient, "api.max_connections_per_client",
            &configuration.api.maxConnectionsPerClient)
        try setPositive(
            self.blobs?.quotaBytesPerAccount, "blobs.quota_bytes_per_account",
            &configuration.api.blobs.quotaBytesPerAccount)
        try setPositive(
            self.blobs?.quotaBytesPerStake, "blobs.quota_bytes_per_stake", &configuration.api.blobs.quotaBytesPerStake)
        try setPositive(self.blobs?.maxTotalBytes, "blobs.max_total_bytes", &configuration.api.blobs.maxTotalBytes)
        try setPositive(
            self.blobs?.unreferencedGraceSeconds, "blobs.unreferenced_grace_seconds",
            &configuration.api.blobs.unreferencedGraceSeconds)
        if let milliseconds = self.blockIntervalMs {
            guard milliseconds > 0 else { throw invalid("block_interval_ms", "must be at least 1") }
            configuration.blockInterval = .milliseconds(milliseconds)
        }
        if let milliseconds = self.eagerBlockIntervalMs {
            guard milliseconds > 0 else { throw invalid("eager_block_interval_ms", "must be at least 1") }
            configuration.eagerBlockInterval = .milliseconds(milliseconds)
        }
        try setPositive(
            self.mempool?.maxTransactions, "mempool.max_transactions", &configuration.chain.mempool.maxTransactions)
        try setPositive(self.mempool?.maxBytes, "mempool.max_bytes", &configuration.chain.mempool.maxBytes)
        try setPositive(self.maxBlockTransactions, "max_block_transactions", &configuration.chain.maxBlockTransactions)
        if let name = self.logLevel {
            guard let level = Logger.Level(rawValue: name.lowercased()) else {
                throw invalid("log_level", "must be one of trace, debug, info, notice, warning, error, critical")
            }
            configuration.logLevel = level
        }
        if let roles = self.roles {
            configuration.roles = try roles.enumerated().map { index, role in
                try role.role(at: index, relativeTo: directory, invalid: invalid)
            }
            try configuration.roles.checkDistinct(invalid: invalid)
        }
        configuration.p2p = try self.p2p?.configuration(invalid: invalid)
        if let consensus = self.consensus { configuration.consensus = try consensus.configuration(invalid: invalid) }
    }
}

extension DecodingError {
    /// `roles[0].task: Expected to decode UInt64 but found a string instead.`: where in the file, and what.
    var configurationDescription: String {
        let (path, reason): ([any CodingKey], String) =
            switch self {
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                (context.codingPath, context.debugDescription)
            case .keyNotFound(let key, let context): (context.codingPath + [key], context.debugDescription)
            @unknown default: ([], "\(self)")
            }
        var name = ""
        for key in path {
            if let index = key.intValue {
                name += "[\(index)]"
            } else {
                name += name.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return name.isEmpty ? reason : "\(name): \(reason)"
    }
}
