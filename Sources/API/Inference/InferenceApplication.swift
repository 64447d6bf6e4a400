// API: an inference server's HTTP application (`deai serve`).

public import APITypes
public import Hummingbird
public import Logging
import NIOCore

/// Builds an inference server's HTTP application over `provider`: `POST /v1/models/{id}/predict`,
/// `GET /v1/models` and `GET /v1/channels/{id}/covered`, with the node API's error bodies, connection limits and
/// idle timeout (``APIConfiguration``). Each connection's requests are answered on its event loop
/// (`InferenceServerChannel`), their bodies read and answers written without Foundation's JSON coders when they
/// are plain (`PredictBody`, `PredictResponseJSON`).
///
/// - Parameters:
///   - provider: The models and the payment book.
///   - configuration: Where to listen, the largest body, the connection limits.
///   - logger: The logger of the HTTP server.
///   - onServerRunning: Called once the server listens, with its port.
/// - Returns: The application; run it with `run()` or inside a `ServiceGroup`.
public func makeInferenceApplication(
    provider: any PredictionProvider,
    configuration: APIConfiguration,
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router(context: APIRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: APIErrorMiddleware())
    InferenceRoutes(provider: provider, maxBodyBytes: configuration.maxBodyBytes).register(on: router)
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes.map { ($0.path, $0.method) }))
    return Application(
        router: router,
        server: .inference(
            limits: ConnectionLimits(
                maxConnections: configuration.maxConnections, maxPerClient: configuration.maxConnectionsPerClient),
            idleTimeout: apiIdleTimeout),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port), serverName: "deai-serve"),
        onServerRunning: { channel in
            await onServerRunning(channel.localAddress?.port ?? configuration.port)
        },
        logger: logger
    )
}
