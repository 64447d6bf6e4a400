// `deai testnet init`: N homes on one genesis, each dialling the others on ports of its own.

import APITypes
import DeAICore
import Foundation
import Ledger
import Node
import P2P
import Testing

struct TestnetInitializerTests {
    @Test("three homes share one genesis of three equal validators, and each dials the two others at their own ports")
    func threeHomes() async throws {
        try await withTemporaryDirectory { directory in
            let result = try TestnetInitializer(options: .init(validators: 3, basePort: 30_000)).initialize(directory: directory, now: 1_000)
            #expect(result.genesis.validators.count == 3)
            #expect(Set(result.genesis.validators.map(\.stake)).count == 1)
            let configurations = try result.nodes.map { try NodeConfiguration(contentsOf: $0.home.configurationFile) }
            for (index, member) in result.nodes.enumerated() {
                #expect(try member.home.loadGenesis() == result.genesis)
                let p2p = try #require(configurations[index].p2p)
                #expect(p2p.listenPort == 30_000 + 2 * index)
                #expect(configurations[index].api.port == 30_000 + 2 * index + 1)
                #expect(Set(p2p.persistentPeers) == Set(result.nodes.map(\.peerAddress).filter { $0 != member.peerAddress }))
                let nodeKey = try KeyFile.read(from: member.home.nodeKeyFile).signingKey(passphrase: nil, path: "node key")
                #expect(nodeKey.verifyingKey == member.peerAddress.key, "peers expect the key in the home's node_key.json")
            }
        }
    }

    @Test("an existing testnet is kept unless forced, and a count out of range is refused")
    func refusals() async throws {
        try await withTemporaryDirectory { directory in
            _ = try TestnetInitializer(options: .init(validators: 2)).initialize(directory: directory, now: 1_000)
            #expect(throws: NodeError.self) { try TestnetInitializer(options: .init(validators: 2)).initialize(directory: directory, now: 2_000) }
            _ = try TestnetInitializer(options: .init(validators: 2, force: true)).initialize(directory: directory, now: 2_000)
            #expect(throws: NodeError.self) { try TestnetInitializer(options: .init(validators: 0)).initialize(directory: directory, now: 2_000) }
        }
    }
}
