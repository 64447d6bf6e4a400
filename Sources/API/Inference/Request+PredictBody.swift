// API: reading a predict body and writing its answer, by hand when it is plain, else through Foundation's coders.

import APITypes
import HTTPTypes
import Hummingbird
import NIOCore

extension Request {
    /// The rows of a predict body of at most `maxBytes` bytes: read by ``PredictBody`` when it is plain, else by
    /// ``decodeJSON(as:maxBytes:)``, whose 400s (and their messages) are then the route's.
    ///
    /// Anyone can send a body the reader declines, and JSONDecoder takes some 150 ms for a mebibyte of it: that
    /// work runs on Swift's global executor, never on the connection's event loop (``InferenceServerChannel``).
    func predictRows(maxBytes: Int) async throws -> [[Double]] {
        let body = try await self.boundedBody(maxBytes: maxBytes)
        if let rows = body.withUnsafeReadableBytes({ PredictBody.rows(in: $0) }) { return rows }
        var request = self
        request.body = RequestBody(buffer: body)
        return try await withTaskExecutorPreference(globalConcurrentExecutor) {
            try await request.decodeJSON(as: PredictRequest.self, maxBytes: maxBytes).inputs
        }
    }
}

extension PredictResponse {
    /// The 200 response carrying this answer: written by ``PredictResponseJSON`` when it can, else by
    /// ``JSONResponse``; the same bytes and headers either way.
    func response() throws -> Response {
        guard let json = PredictResponseJSON.encode(self) else { return try JSONResponse.make(self) }
        var headers = HTTPFields()
        headers[.contentType] = JSONResponse.contentType
        headers[.contentLength] = String(json.count)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: json)))
    }
}
