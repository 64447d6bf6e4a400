// API: JSON responses.

import Foundation
import HTTPTypes
import Hummingbird

/// Builds JSON responses with one encoder set-up for every route: compact, keys sorted (stable output for docs,
/// diffs and tests), integers as JSON integers.
enum JSONResponse {
    /// The content type of every JSON response.
    static let contentType = "application/json; charset=utf-8"

    /// A response with `value` encoded as JSON.
    /// - Throws: an `EncodingError` only if a view cannot encode, which would be a bug in the view.
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        var headers = HTTPFields()
        headers[.contentType] = Self.contentType
        headers[.contentLength] = String(data.count)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
