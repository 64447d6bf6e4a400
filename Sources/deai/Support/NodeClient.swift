// The HTTP client of a node's JSON API.

import API
import DeAICore
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A small client of the node API (`docs/API.md`): it sends requests and decodes the API's view types.
///
/// An error response becomes a ``CLIError`` with the node's message, stable name and code; a node that cannot be
/// reached becomes one that names the URL.
struct NodeClient {
    /// The API's base URL, such as `http://127.0.0.1:26657`.
    let baseURL: URL

    /// A client of the node at `baseURL`.
    ///
    /// - Throws: ``CLIError`` when `baseURL` is not an http(s) URL.
    init(baseURL: String) throws {
        guard let url = URL(string: baseURL), let scheme = url.scheme, ["http", "https"].contains(scheme),
            url.host != nil
        else {
            throw CLIError("--node \(baseURL) is not an http:// URL")
        }
        self.baseURL = url
    }

    /// `GET path?query`, decoded as `Value`.
    func get<Value: Decodable>(_ path: String, query: [String: String] = [:], as type: Value.Type) async throws -> Value
    {
        let request = try self.request(path, query: query)
        return try await self.perform(request, as: type)
    }

    /// `POST path?query` with `body` as JSON, decoded as `Value`.
    func post<Value: Decodable>(
        _ path: String,
        query: [String: String] = [:],
        body: some Encodable,
        as type: Value.Type
    ) async throws -> Value {
        var request = try self.request(path, query: query)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONEncoder().encode(body)
        return try await self.perform(request, as: type)
    }

    // MARK: - Typed calls

    /// `GET /v1/status`.
    func status() async throws -> StatusView {
        try await self.get("/v1/status", as: StatusView.self)
    }

    /// `GET /v1/accounts/{address}[?prove=true]`.
    func account(_ address: Address, prove: Bool = false) async throws -> AccountView {
        try await self.get("/v1/accounts/\(address)", query: prove ? ["prove": "true"] : [:], as: AccountView.self)
    }

    /// `GET /v1/params`.
    func parameters() async throws -> ParametersView {
        try await self.get("/v1/params", as: ParametersView.self)
    }

    /// `GET /v1/blocks/{height|latest}`.
    func block(_ height: UInt64?) async throws -> BlockView {
        try await self.get("/v1/blocks/\(height.map(String.init) ?? "latest")", as: BlockView.self)
    }

    // MARK: - Plumbing

    private func request(_ path: String, query: [String: String]) throws -> URLRequest {
        guard var components = URLComponents(url: self.baseURL, resolvingAgainstBaseURL: false) else {
            throw CLIError("--node \(self.baseURL) is not a valid URL")
        }
        let basePath = components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path
        components.path = basePath + path
        if !query.isEmpty {
            components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        }
        guard let url = components.url else { throw CLIError("cannot build a request URL for \(path)") }
        var request = URLRequest(url: url)
        request.timeoutInterval = 70
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        return request
    }

    private func perform<Value: Decodable>(_ request: URLRequest, as type: Value.Type) async throws -> Value {
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw CLIError("cannot reach the node at \(self.baseURL): \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            if let body = try? JSONDecoder().decode(APIErrorBody.self, from: data) {
                throw CLIError("the node refused: \(body.error.message) (\(body.error.name), code \(body.error.code))")
            }
            throw CLIError("the node answered HTTP \(status) to \(request.url?.path ?? "")")
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw CLIError("the node's answer to \(request.url?.path ?? "") does not decode: \(error)")
        }
    }
}
