// A service beside the node whose end or failure is logged instead of stopping the node.

import Logging
import ServiceLifecycle

/// Runs a participant service (a trainer or evaluator role) inside the node's `ServiceGroup` so that it cannot
/// take the node down: when it returns, or throws, the outcome is logged with the service's description and the
/// group goes on. During a graceful shutdown its end is expected and logged at debug level only.
struct SupervisedService: Service, CustomStringConvertible {
    private let service: any Service
    private let logger: Logger

    /// Supervises `service`.
    init(_ service: any Service, logger: Logger) {
        self.service = service
        self.logger = logger
    }

    var description: String { "\(self.service)" }

    func run() async {
        let metadata: Logger.Metadata = ["participant": "\(self.service)"]
        do {
            try await self.service.run()
            if Task.isShuttingDownGracefully || Task.isCancelled {
                self.logger.debug("participant stopped", metadata: metadata)
            } else {
                self.logger.notice("participant finished", metadata: metadata)
            }
        } catch {
            if Task.isShuttingDownGracefully || Task.isCancelled {
                self.logger.debug("participant stopped", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            } else {
                self.logger.error(
                    "participant failed; the node keeps running",
                    metadata: metadata.merging(["error": "\(error)"]) { $1 }
                )
            }
        }
    }
}
