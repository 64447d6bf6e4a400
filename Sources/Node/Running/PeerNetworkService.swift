// The service that keeps a node's peer-to-peer links.

import P2P
import ServiceLifecycle

/// Runs a ``P2P/PeerNetwork`` — listening, dialling, serving links — until graceful shutdown, which comes after
/// consensus stopped (it starts before consensus in the node's group).
struct PeerNetworkService: Service {
    let network: PeerNetwork

    func run() async throws {
        let listen = self.network.configuration
        try await ListeningService(
            Listener(network: self.network), address: "\(listen.listenHost):\(listen.listenPort)",
            purpose: "peers", setting: "p2p.listen in config.json"
        ).run()
    }

    /// The network's run, ended by graceful shutdown.
    private struct Listener: Service {
        let network: PeerNetwork

        func run() async throws {
            try await cancelWhenGracefulShutdown { try await self.network.run() }
        }
    }
}
