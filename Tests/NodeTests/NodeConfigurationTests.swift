// NodeConfiguration: defaults, config.json parsing, bad values.

import APITypes
import Consensus
import Foundation
import Logging
import Node
import P2P
import DeAICore
import DeAITesting
import Testing

@Suite("NodeConfiguration")
struct NodeConfigurationTests {
    @Test("defaults: API on 127.0.0.1:26657, one block per second, info logs")
    func defaults() {
        let configuration = NodeConfiguration()
        #expect(configuration.api.host == "127.0.0.1")
        #expect(configuration.api.port == 26657)
        #expect(configuration.api.maxBodyBytes == 1 << 20)
        #expect(configuration.blockInterval == .seconds(1))
        #expect(configuration.chain.mempool.maxTransactions == 50_000)
        #expect(configuration.chain.mempool.maxBytes == 64 << 20)
        #expect(configuration.chain.maxBlockTransactions == 20_000)
        #expect(configuration.logLevel == .info)
    }

    @Test("keys left out keep their defaults")
    func partialFile() throws {
        let json =
            #"{"api": {"port": 9000}, "block_interval_ms": 250, "mempool": {"max_transactions": 10}, "log_level": "DEBUG"}"#
        let configuration = try NodeConfiguration(json: Data(json.utf8), source: "test")
        #expect(configuration.api.port == 9000)
        #expect(configuration.api.host == "127.0.0.1")
        #expect(configuration.blockInterval == .milliseconds(250))
        #expect(configuration.chain.mempool.maxTransactions == 10)
        #expect(configuration.chain.mempool.maxBytes == 64 << 20)
        #expect(configuration.logLevel == .debug)
        #expect(try NodeConfiguration(json: Data("{}".utf8), source: "empty").api.port == 26657)
    }

    @Test("the written file reads back the same")
    func roundTrip() throws {
        var configuration = NodeConfiguration()
        configuration.api.port = 1234
        configuration.blockInterval = .milliseconds(100)
        configuration.chain.maxBlockTransactions = 77
        configuration.logLevel = .warning
        configuration.api.maxConnections = 300
        configuration.api.maxConnectionsPerClient = 30
        configuration.api.blobs = BlobPolicy(
            quotaBytesPerAccount: 5_000, quotaBytesPerStake: 7, maxTotalBytes: 9_000, unreferencedGraceSeconds: 60)
        let reread = try NodeConfiguration(json: Data(configuration.jsonBytes), source: "round trip")
        #expect(reread.api == configuration.api)
        #expect(reread.chain == configuration.chain)
        #expect(reread.blockInterval == configuration.blockInterval)
        #expect(reread.logLevel == configuration.logLevel)
    }

    @Test("the p2p and consensus objects read back the same, persistent peers as KEY@HOST:PORT")
    func peerNetworkRoundTrip() throws {
        var configuration = NodeConfiguration()
        let peer = try PeerAddress(parsing: "\(TestKeys.signingKey(3).verifyingKey)@10.0.0.2:26656")
        configuration.p2p = PeerNetworkConfiguration(
            listenHost: "0.0.0.0", listenPort: 26_700, externalAddress: "node.example:26700", persistentPeers: [peer],
            maxPeers: 7, peerExchange: false)
        configuration.consensus = .local
        let reread = try NodeConfiguration(json: Data(configuration.jsonBytes), source: "round trip")
        #expect(reread.p2p == configuration.p2p)
        #expect(reread.consensus == configuration.consensus)
        #expect(try NodeConfiguration(json: Data("{}".utf8), source: "empty").p2p == nil, "no p2p object: the node runs alone")
    }

    @Test(
        "bad values are errors naming the key",
        arguments: [
            (#"{"api": {"port": 70000}}"#, "api.port"), (#"{"block_interval_ms": 0}"#, "block_interval_ms"),
            (#"{"log_level": "loud"}"#, "log_level"), (#"{"mempool": {"max_bytes": -1}}"#, "mempool.max_bytes"),
            (#"{"api": "#, "not valid"),
            (#"{"p2p": {"listen": "nowhere"}}"#, "p2p.listen"),
            (#"{"p2p": {"persistent_peers": ["abc@127.0.0.1:1"]}}"#, "p2p.persistent_peers[0]"),
            (#"{"p2p": {"max_peers": 0}}"#, "p2p.max_peers"),
            (#"{"consensus": {"timeout_vote_ms": 0}}"#, "consensus.timeout_vote_ms"),
            (#"{"blobs": {"max_total_bytes": 0}}"#, "blobs.max_total_bytes"),
            (#"{"api": {"max_connections_per_client": 0}}"#, "api.max_connections_per_client"),
            (#"{"blobs": {"unreferenced_grace_seconds": -5}}"#, "blobs.unreferenced_grace_seconds"),
        ]
    )
    func invalidValues(json: String, mention: String) {
        do {
            _ = try NodeConfiguration(json: Data(json.utf8), source: "/x/config.json")
            Issue.record("accepted \(json)")
        } catch let error as NodeError {
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.contains(mention))
            #expect(error.message.contains("/x/config.json"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("a misspelt key is refused, naming it and the closest known key", arguments: [
        (#"{"blok_interval_ms": 50}"#, "unknown key 'blok_interval_ms' (did you mean 'block_interval_ms'?)"),
        (#"{"api": {"prot": 9000}}"#, "unknown key 'api.prot' (did you mean 'api.port'?)"),
        (#"{"p2p": {"persistent_peer": []}}"#, "unknown key 'p2p.persistent_peer' (did you mean 'p2p.persistent_peers'?)"),
        (#"{"consensus": {"timeout_commit": 5}}"#, "unknown key 'consensus.timeout_commit' (did you mean 'consensus.timeout_commit_ms'?)"),
        (#"{"blobs": {"quota_bytes_per_acount": 1}}"#, "unknown key 'blobs.quota_bytes_per_acount' (did you mean 'blobs.quota_bytes_per_account'?)"),
        (#"{"favourite_colour": "blue"}"#, "unknown key 'favourite_colour'; the keys are listed in docs/CLI.md"),
    ])
    func unknownKeys(json: String, message: String) {
        #expect {
            try NodeConfiguration(json: Data(json.utf8), source: "test")
        } throws: { error in
            (error as? NodeError)?.code == .invalidConfiguration
                && (error as? NodeError)?.message == "configuration file test: \(message)"
        }
    }

    @Test("a missing file says to run deai init")
    func missingFile() {
        #expect(throws: NodeError(.homeNotInitialized, "")) {
            try NodeConfiguration(contentsOf: "/nonexistent/config.json")
        }
    }
}
