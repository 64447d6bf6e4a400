// The links of a perturbed testnet: every node dials every other through a proxy the schedule can cut.

import DeAICore
import DeAITesting
import Foundation
import Node
import NIOPosix
import P2P

/// Rewires a testnet for `deai testnet perturb`: node i reaches node j only through a ``LinkProxy`` of its own
/// (and peer exchange is off, so no node learns the others' real ports), so cutting proxies partitions the
/// network as failed cables or firewalls would, without root. The homes' `config.json` files are put back by
/// ``restore()``.
final class PerturbLinks: Sendable {
    /// `proxies[i][j]`: the proxy node i dials node j through; `nil` on the diagonal.
    private let proxies: [[LinkProxy?]]
    /// Each home's configuration file and its bytes before the rewiring.
    private let originals: [(file: String, bytes: [UInt8])]

    /// Puts a proxy in front of every ordered pair of `nodes` and points their persistent peers at them.
    /// - Throws: ``CLIError`` for a home without a `p2p` section; file and NIO errors.
    init(nodes: [NodeProcess]) async throws {
        var configurations: [NodeConfiguration] = []
        var peerAddresses: [PeerAddress] = []
        var originals: [(file: String, bytes: [UInt8])] = []
        for node in nodes {
            let file = node.home.configurationFile
            let configuration = try NodeConfiguration(contentsOf: file)
            guard let p2p = configuration.p2p else {
                throw CLIError("\(file) has no \"p2p\" section: perturb needs homes from `deai testnet init`")
            }
            let nodeKey = try KeyFile.read(from: node.home.nodeKeyFile).signingKey(passphrase: nil, path: node.home.nodeKeyFile)
            peerAddresses.append(PeerAddress(key: nodeKey.verifyingKey, host: "127.0.0.1", port: p2p.listenPort))
            originals.append((file, [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))))
            configurations.append(configuration)
        }
        var proxies: [[LinkProxy?]] = []
        for from in nodes.indices {
            var row: [LinkProxy?] = []
            for to in nodes.indices {
                row.append(from == to ? nil : try await LinkProxy(targetPort: peerAddresses[to].port, group: .singletonMultiThreadedEventLoopGroup))
            }
            proxies.append(row)
        }
        self.proxies = proxies
        self.originals = originals
        for (index, var configuration) in configurations.enumerated() {
            configuration.p2p?.peerExchange = false
            configuration.p2p?.persistentPeers = nodes.indices.compactMap { peer in
                proxies[index][peer].map { PeerAddress(key: peerAddresses[peer].key, host: "127.0.0.1", port: $0.port) }
            }
            try SecureFile.write(configuration.jsonBytes, to: nodes[index].home.configurationFile)
        }
    }

    /// Cuts every link between `side` and the other nodes, both ways.
    func cut(_ side: Set<Int>) {
        for (from, row) in self.proxies.enumerated() {
            for (to, proxy) in row.enumerated() where side.contains(from) != side.contains(to) { proxy?.cut() }
        }
    }

    /// Lets every link carry connections again; the nodes redial on their own.
    func heal() {
        for proxy in self.proxies.joined() { proxy?.heal() }
    }

    /// Closes the proxies and puts the homes' configuration files back.
    func restore() async {
        for proxy in self.proxies.joined() { await proxy?.close() }
        for original in self.originals { try? SecureFile.write(original.bytes, to: original.file) }
    }
}
