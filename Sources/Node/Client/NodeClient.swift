// Node: the HTTP client of a node's JSON API.

import APITypes
import DeAICore
public import Foundation
import NIOHTTP1

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A client of a node's HTTP API (`docs/API.md`): typed calls that decode the API's own view types.
///
/// ```swift
/// let client = try NodeClient(baseURL: "http://127.0.0.1:26657")
/// let task = try await client.task(1)
/// let weights = try await client.getBlob(task.model)
/// ```
///
/// Every call throws a ``NodeClientError``: ``NodeClientError/unreachable(url:reason:)`` when the node cannot be
/// reached, ``NodeClientError/apiError(request:status:code:name:message:)`` with the node's stable code and name
/// when it refuses, ``NodeClientError/invalidResponse(request:reason:)`` when its answer does not decode.
public struct NodeClient: Sendable {
    /// The API's base URL, such as `http://127.0.0.1:26657`.
    public let baseURL: URL
    /// The longest a request may take, including a `?wait=true` submission.
    public var timeout: Duration
    /// The keep-alive connections of an `http://` client; `https://` goes through Foundation's `URLSession`.
    private let connections: HTTPConnectionPool?

    /// A client of the node at `baseURL`.
    /// - Throws: ``NodeClientError/invalidURL(_:)`` when `baseURL` is not an http(s) URL with a host.
    public init(baseURL: String, timeout: Duration = .seconds(70)) throws(NodeClientError) {
        guard let url = URL(string: baseURL) else { throw .invalidURL(baseURL) }
        try self.init(baseURL: url, timeout: timeout)
    }

    /// A client of the node at `baseURL`.
    /// - Throws: ``NodeClientError/invalidURL(_:)`` when `baseURL` is not an http(s) URL with a host.
    public init(baseURL: URL, timeout: Duration = .seconds(70)) throws(NodeClientError) {
        guard let scheme = baseURL.scheme?.lowercased(), ["http", "https"].contains(scheme), baseURL.host != nil,
            URLComponents(url: baseURL, resolvingAgainstBaseURL: false) != nil
        else {
            throw .invalidURL(baseURL.absoluteString)
        }
        self.baseURL = baseURL
        self.timeout = timeout
        self.connections = scheme == "http" ? HTTPConnectionPool(host: baseURL.host ?? "", port: baseURL.port ?? 80) : nil
    }

    /// `GET path?query`, decoded from JSON as `Value`.
    public func get<Value: Decodable>(
        _ path: String, query: [String: String] = [:], as type: Value.Type
    ) async throws(NodeClientError) -> Value {
        let request = try self.request("GET", path, query: query, accept: "application/json")
        return try Self.decode(type, from: try await self.perform(request), request: request)
    }

    /// `POST path?query` with `body` as JSON and the extra `headers`, decoded from JSON as `Value`.
    public func post<Value: Decodable>(
        _ path: String, query: [String: String] = [:], headers: [String: String] = [:], body: some Encodable,
        as type: Value.Type
    ) async throws(NodeClientError) -> Value {
        var request = try self.request("POST", path, query: query, accept: "application/json")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        do {
            request.httpBody = try JSONEncoder().encode(body)
        } catch {
            let reason = "the request body does not encode: \(error)"
            throw .invalidResponse(request: Self.describe(request), reason: reason)
        }
        return try Self.decode(type, from: try await self.perform(request), request: request)
    }

    // MARK: - Plumbing

    /// A request for `method path?query` on the base URL.
    func request(
        _ method: String, _ path: String, query: [String: String], accept: String
    ) throws(NodeClientError) -> URLRequest {
        guard var components = URLComponents(url: self.baseURL, resolvingAgainstBaseURL: false) else {
            throw .invalidURL(self.baseURL.absoluteString)
        }
        let basePath = components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path
        components.path = basePath + path
        if !query.isEmpty {
            components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        }
        guard let url = components.url else { throw .invalidURL(self.baseURL.absoluteString + path) }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = Double(self.timeout.components.seconds) + 1
        request.setValue(accept, forHTTPHeaderField: "Accept")
        return request
    }

    /// The session of every `https://` client in the process. `URLSession.shared` opens at most a handful of
    /// connections per host and queues the rest, so many participants long-polling one node
    /// (`GET /v1/state/{key}?changed_from=`) would wait behind each other until they time out; this one allows a
    /// connection per waiting request. Plain `http://` clients use their own ``HTTPConnectionPool`` on NIO, which
    /// costs a fraction of the CPU per request.
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 1_024
        return URLSession(configuration: configuration)
    }()

    /// Sends `request` and returns the body of a 2xx answer.
    /// - Throws: `.unreachable`, or `.apiError` / `.invalidResponse` for any other status.
    func perform(_ request: URLRequest) async throws(NodeClientError) -> Data {
        let (status, data) = try await self.exchange(request)
        guard (200..<300).contains(status) else {
            if let body = try? JSONDecoder().decode(APIErrorBody.self, from: data) {
                throw .apiError(
                    request: Self.describe(request), status: status, code: body.error.code, name: body.error.name,
                    message: body.error.message
                )
            }
            throw .invalidResponse(request: Self.describe(request), reason: "HTTP \(status) without an API error body")
        }
        return data
    }

    /// The status and body of the answer to `request`, over the connection pool or, for https, `URLSession`.
    private func exchange(_ request: URLRequest) async throws(NodeClientError) -> (status: Int, body: Data) {
        guard let connections = self.connections else {
            do {
                let (data, response) = try await Self.session.data(for: request)
                return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
            } catch {
                throw .unreachable(url: self.baseURL.absoluteString, reason: error.localizedDescription)
            }
        }
        guard let url = request.url, let components = URLComponents(url: url, resolvingAgainstBaseURL: false) else {
            throw .invalidURL(request.url?.absoluteString ?? self.baseURL.absoluteString)
        }
        var headers = HTTPHeaders(request.allHTTPHeaderFields?.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } ?? [])
        headers.replaceOrAdd(name: "Host", value: components.port.map { "\(components.host ?? ""):\($0)" } ?? components.host ?? "")
        let target = components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        let method = HTTPMethod(rawValue: request.httpMethod ?? "GET")
        do {
            let response = try await connections.execute(
                HTTPRequest(method: method, target: target, headers: headers, body: request.httpBody.map { [UInt8]($0) }),
                timeout: self.timeout + .seconds(1))
            return (response.status, Data(response.body))
        } catch .cancelled {
            throw .cancelled(request: Self.describe(request))
        } catch {
            throw .unreachable(url: self.baseURL.absoluteString, reason: error.description)
        }
    }

    /// `data` decoded from JSON as `type`.
    static func decode<Value: Decodable>(
        _ type: Value.Type, from data: Data, request: URLRequest
    ) throws(NodeClientError) -> Value {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw .invalidResponse(request: Self.describe(request), reason: "the JSON does not decode: \(error)")
        }
    }

    /// `METHOD /path`, to name a request in errors.
    static func describe(_ request: URLRequest) -> String {
        "\(request.httpMethod ?? "GET") \(request.url?.path ?? "")"
    }
}
