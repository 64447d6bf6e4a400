// UpdateBlobTarget: the vector blobs of model weights and updates, as a node reads them from peers.

import Federation
import FuzzSupport

/// Feeds Federation's `decodeVector`, with no expected count (the most permissive call) and a small maximum. What
/// decodes must decode again, identically, from its re-encoding in the same element format: float32 and float16
/// exactly, int8 within its block's quantization step.
enum UpdateBlobTarget: FuzzTarget {
    /// The largest element count decoded, so that a run spends its time on the parser, not on allocation.
    static let maxCount = 1 << 16

    static func test(_ bytes: [UInt8]) {
        guard let values = try? decodeVector(bytes, maxCount: Self.maxCount), bytes.count > 8,
            let encoding = UpdateEncoding(code: bytes[8])
        else { return }
        let again = encodeVector(values, as: encoding)
        let decodedAgain = try? decodeVector(again, expectedCount: values.count, maxCount: Self.maxCount)
        FuzzCheck.require(decodedAgain != nil, "a decoded vector's re-encoding does not decode")
        if encoding != .int8 {
            FuzzCheck.require(again == bytes, "a \(encoding) vector re-encodes to other bytes")
        }
    }

    static var seeds: [(name: String, bytes: [UInt8])] {
        let values: [Float] = (0..<70).map { Float($0 % 13) * 0.25 - 1.5 }
        return [
            ("float32", encodeVector(values, as: .float32)),
            ("float16", encodeVector(values, as: .float16)),
            ("int8", encodeVector(values, as: .int8)),
            ("empty", encodeVector([], as: .float32)),
            ("zeros-int8", encodeVector([Float](repeating: 0, count: 3), as: .int8)),
        ]
    }
}
