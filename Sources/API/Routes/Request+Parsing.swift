// API: reading path parameters, query parameters and bodies, with a 400 or 413 for anything malformed.

import DeAICore
import Foundation
import Hummingbird
import Ledger
import NIOCore

extension RequestContext {
    /// The path parameter `name` parsed by `parse`.
    /// - Throws: ``APIError/Code/badPath`` naming `expected` when it does not parse.
    func pathParameter<Value>(_ name: String, expected: String, _ parse: (String) -> Value?) throws -> Value {
        let raw = self.parameters.get(name) ?? ""
        guard let value = parse(raw) else {
            throw APIError(.badPath, "\"\(raw)\" is not \(expected)")
        }
        return value
    }

    /// The path parameter `name` as a transaction hash: 64 hex digits.
    func digestParameter(_ name: String) throws -> SHA256Digest {
        try self.pathParameter(name, expected: "a hash (64 hex digits)") { try? SHA256Digest(hexString: $0) }
    }

    /// The path parameter `name` as a bech32 address.
    func addressParameter(_ name: String) throws -> Address {
        try self.pathParameter(name, expected: "a bech32 address (deai1…)") { Address($0) }
    }

    /// The path parameter `name` as an unsigned decimal integer.
    func integerParameter(_ name: String, expected: String) throws -> UInt64 {
        try self.pathParameter(name, expected: expected) { UInt64($0) }
    }
}

extension Request {
    /// The query parameter `name` as a flag: absent or `false`/`0` is false; `true`, `1` or an empty value is true.
    /// - Throws: ``APIError/Code/badQuery`` for any other value.
    func flag(_ name: String) throws -> Bool {
        switch self.uri.queryParameters[Substring(name)] {
        case nil, "false", "0": return false
        case "", "true", "1": return true
        case let other?: throw APIError(.badQuery, "\(name)=\(other) is not a flag; use true or false")
        }
    }

    /// The query parameter `name` as an integer in `range`, or `defaultValue` when absent.
    /// - Throws: ``APIError/Code/badQuery`` when it is no integer or out of range.
    func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let raw = self.uri.queryParameters[Substring(name)] else { return defaultValue }
        guard let value = Int(raw), range.contains(value) else {
            throw APIError(.badQuery, "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// The body, refused with a 413 as soon as it is known to exceed `maxBytes`: at once when `Content-Length`
    /// says so, else when the bytes read so far pass the limit. The rest is never read.
    func boundedBody(maxBytes: Int) async throws -> ByteBuffer {
        if let length = self.headers[.contentLength].flatMap({ Int($0) }), length > maxBytes {
            throw APIError.bodyTooLarge
        }
        do {
            return try await self.body.collect(upTo: maxBytes)
        } catch is NIOTooManyBytesError {
            throw APIError.bodyTooLarge
        }
    }

    /// The body decoded from JSON as `type`, read with ``boundedBody(maxBytes:)``.
    /// - Throws: ``APIError/Code/badBody`` with a message naming the offending field, never a Swift type.
    func decodeJSON<Body: Decodable>(as type: Body.Type, maxBytes: Int) async throws -> Body {
        let buffer = try await self.boundedBody(maxBytes: maxBytes)
        do {
            return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw APIError(.badBody, error.clientMessage)
        }
    }
}

extension DecodingError {
    /// A sentence for the client: which field is wrong and how, without Swift type names.
    fileprivate var clientMessage: String {
        switch self {
        case .keyNotFound(let key, let context):
            "the field \"\(Self.path(context.codingPath + [key]))\" is missing"
        case .valueNotFound(_, let context):
            "the field \"\(Self.path(context.codingPath))\" is null"
        case .typeMismatch(_, let context):
            "the field \"\(Self.path(context.codingPath))\" has the wrong type"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            "the body is not valid JSON"
        case .dataCorrupted(let context):
            "the field \"\(Self.path(context.codingPath))\" is invalid: \(context.debugDescription)"
        @unknown default:
            "the body is not the JSON this route expects"
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}
