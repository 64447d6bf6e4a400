// Logging and metrics for the process: bootstrapped here, in the executable, and nowhere else.

import Logging
import Metrics
import Prometheus

/// The process-wide logging and metrics backends.
enum Observability {
    /// Sends logs at `level` and above to stderr, and metrics to a new Prometheus registry, which it returns for
    /// the API's `/metrics`. Call once per process, before any logger or metric is made.
    static func bootstrap(logLevel: Logger.Level) -> PrometheusCollectorRegistry {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }
}
