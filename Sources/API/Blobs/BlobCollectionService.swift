// API: the service that deletes, now and then, the blobs the chain never named.

import APITypes
import Foundation
import Logging
import ServiceLifecycle

/// Runs ``BlobAdmission/collect(now:)`` every quarter of the grace period (at least every second, at most every
/// five minutes) until graceful shutdown, so that a blob the chain does not name lives at most 1¼ grace periods.
struct BlobCollectionService: Service {
    let admission: BlobAdmission
    let logger: Logger

    /// Seconds between collections.
    var interval: Int { min(max(self.admission.policy.unreferencedGraceSeconds / 4, 1), 300) }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: .seconds(self.interval))
                } catch {
                    return
                }
                do {
                    let collection = try await self.admission.collect()
                    if collection.removed > 0 {
                        self.logger.info(
                            "collected blobs the chain does not name",
                            metadata: ["blobs.removed": "\(collection.removed)", "blobs.freed_bytes": "\(collection.freedBytes)"])
                    }
                } catch {
                    self.logger.warning("could not collect unnamed blobs", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
