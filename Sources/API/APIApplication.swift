// API: the node's HTTP JSON API, a Hummingbird application that runs as a Service in the node's ServiceGroup.

public import APITypes
public import Consensus
public import DeAICore
public import Hummingbird
public import Logging
import NIOCore
public import Prometheus
public import Storage

/// Builds the node's HTTP API on `chain`.
///
/// The application is a ServiceLifecycle `Service`: `Node` puts it in its `ServiceGroup` after consensus, and it
/// stops on graceful shutdown. Routes are listed in `docs/API.md`; every error is an ``APIErrorBody``.
///
/// ```swift
/// var configuration = APIConfiguration()
/// configuration.port = 0
/// let api = makeAPIApplication(chain: chain, configuration: configuration, metrics: registry, logger: logger) { port in
///     print("API on port \(port)")
/// }
/// let group = ServiceGroup(services: [api], logger: logger)
/// ```
///
/// - Parameters:
///   - chain: The chain the API reads and submits to.
///   - configuration: Where to listen and what to accept.
///   - metrics: The registry `/metrics` exports; `nil` leaves `/metrics` out (404).
///   - blobs: The blob store `/v1/blobs` serves, under ``APITypes/APIConfiguration/blobs``; blobs the chain does not
///     name are collected in the background. `nil` leaves the blob routes out (404).
///   - fetchMissingBlob: Where `GET /v1/blobs/{hash}` looks for a blob the store lacks (the node's peers); what
///     it returns is stored once it hashes to `hash`.
///   - logger: The logger of the HTTP server and its requests.
///   - onServerRunning: Called once the server listens, with the port it is bound to (the real one when
///     ``APIConfiguration/port`` is 0).
/// - Returns: The application; run it with `run()` or inside a `ServiceGroup`.
public func makeAPIApplication(
    chain: Chain,
    configuration: APIConfiguration,
    metrics: PrometheusCollectorRegistry?,
    blobs: BlobStore? = nil,
    fetchMissingBlob: (@Sendable (SHA256Digest) async -> [UInt8]?)? = nil,
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let admission = blobs.map { BlobAdmission(store: $0, policy: configuration.blobs, chain: chain) }
    var application = Application(
        router: makeAPIRouter(
            chain: chain, configuration: configuration, metrics: metrics, blobs: admission, fetchMissingBlob: fetchMissingBlob),
        server: .api(
            limits: ConnectionLimits(
                maxConnections: configuration.maxConnections, maxPerClient: configuration.maxConnectionsPerClient),
            idleTimeout: apiIdleTimeout),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "deai"
        ),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            logger.debug("API listening", metadata: ["api.host": "\(configuration.host)", "api.port": "\(port)"])
            await onServerRunning(port)
        },
        logger: logger
    )
    if let admission { application.addServices(BlobCollectionService(admission: admission, logger: logger)) }
    return application
}

/// How long an API connection may stay open without a request in flight: a client that opens connections and
/// sends nothing, or sends a request's head byte by byte, does not hold them for ever.
let apiIdleTimeout = TimeAmount.seconds(60)

/// The router of every route, behind the middleware that turns errors into JSON error bodies; `HEAD` is served
/// wherever `GET` is, and a path served for other methods answers 405 with `Allow`.
func makeAPIRouter(
    chain: Chain,
    configuration: APIConfiguration,
    metrics: PrometheusCollectorRegistry?,
    blobs: BlobAdmission?,
    fetchMissingBlob: (@Sendable (SHA256Digest) async -> [UInt8]?)? = nil
) -> Router<APIRequestContext> {
    let router = Router(context: APIRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: APIErrorMiddleware())
    let waiting = WaitingRequests(limit: configuration.maxWaitingRequests)
    TransactionRoutes(chain: chain, maxBodyBytes: configuration.maxBodyBytes, waiting: waiting).register(on: router)
    BlockRoutes(chain: chain).register(on: router)
    AccountRoutes(chain: chain).register(on: router)
    StateRoutes(chain: chain, waiting: waiting).register(on: router)
    ChainRoutes(chain: chain).register(on: router)
    ProposalRoutes(chain: chain).register(on: router)
    TaskRoutes(chain: chain).register(on: router)
    ModelRoutes(chain: chain).register(on: router)
    ChannelRoutes(chain: chain).register(on: router)
    if let blobs {
        BlobRoutes(admission: blobs, fetchMissing: fetchMissingBlob).register(on: router)
    }
    if let metrics {
        PrometheusRoute(registry: metrics).register(on: router)
    }
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes.map { ($0.path, $0.method) }))
    return router
}
