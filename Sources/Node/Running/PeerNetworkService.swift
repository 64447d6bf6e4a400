// The service that keeps a node's peer-to-peer links.

import P2P
import ServiceLifecycle

/// Runs a ``P2P/PeerNetwork`` — listening, dialling, serving links — until graceful shutdown, which comes after
/// consensus stopped (it starts before consensus in the node's group).
struct PeerNetworkService: Service {
    let network: PeerNetwork

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await self.network.run()
        }
    }
}
