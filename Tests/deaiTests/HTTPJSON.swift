// A minimal JSON-over-HTTP client for tests that talk to a node's API on loopback.

import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// GET and POST JSON against `http://127.0.0.1:port`.
struct HTTPJSON {
    let port: Int

    /// `GET path` decoded as `T`; any status but 2xx is an error.
    func get<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
        guard let value = try await self.getIfFound(path, as: type) else { throw TestFailure("GET \(path): 404") }
        return value
    }

    /// `GET path` decoded as `T`, or `nil` on 404.
    func getIfFound<T: Decodable>(_ path: String, as type: T.Type) async throws -> T? {
        let (data, status) = try await self.send(URLRequest(url: self.url(path)))
        if status == 404 { return nil }
        return try self.decode(T.self, data, status: status, path: path)
    }

    /// `POST path` with `body` as JSON, decoded as `T`.
    func post<T: Decodable>(_ path: String, body: some Encodable, as type: T.Type) async throws -> T {
        var request = URLRequest(url: self.url(path))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONEncoder().encode(body)
        let (data, status) = try await self.send(request)
        return try self.decode(T.self, data, status: status, path: path)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ data: Data, status: Int, path: String) throws -> T {
        guard (200..<300).contains(status) else {
            throw TestFailure("\(path): HTTP \(status) \(String(decoding: data, as: UTF8.self))")
        }
        return try JSONDecoder().decode(T.self, from: data)
    }

    private func url(_ path: String) -> URL {
        URL(string: "http://127.0.0.1:\(self.port)\(path)") ?? URL(fileURLWithPath: "/")
    }

    private func send(_ request: URLRequest) async throws -> (Data, Int) {
        let (data, response) = try await URLSession.shared.data(for: request)
        return (data, (response as? HTTPURLResponse)?.statusCode ?? 0)
    }
}
