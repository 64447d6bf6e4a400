// UpdateEncoding: the element formats of a vector blob.

/// How the elements of a vector blob are stored.
///
/// Global model weights are always stored as ``float32``: their SHA-256 over the blob bytes is the model's hash, so
/// they must round-trip exactly. Updates (deltas) may be sent compressed as ``float16`` or ``int8``; the receiver
/// learns the encoding from the blob itself (see ``encodeVector(_:as:)``).
///
/// The raw values are the names used in task definitions and configuration files: never rename them. The byte
/// ``code`` written into blobs is frozen as well.
public enum UpdateEncoding: String, Codable, Sendable, CaseIterable, Hashable {
    /// IEEE-754 binary32, little-endian: exact. 4 bytes per element.
    case float32
    /// IEEE-754 binary16, little-endian, rounded to nearest even; finite values beyond ±65504 saturate to ±65504.
    /// 2 bytes per element, relative error ≤ 2⁻¹¹ in the normal range.
    case float16
    /// Symmetric linear quantization in blocks of 64 elements: per block one float32 scale `s = max|x| / 127`, then
    /// `round(x / s)` in −127…127 as one signed byte per element (round to nearest even). Absolute error ≤ s / 2 per
    /// element; ≈ 0.65% relative L2 error on trained MLP deltas. 1 + 1/16 bytes per element.
    case int8

    /// The byte that names the encoding in a blob: the element width in bits (32, 16, 8). Frozen.
    public var code: UInt8 {
        switch self {
        case .float32: 32
        case .float16: 16
        case .int8: 8
        }
    }

    /// The encoding whose ``code`` is `code`, or `nil`.
    public init?(code: UInt8) {
        guard let encoding = UpdateEncoding.allCases.first(where: { $0.code == code }) else { return nil }
        self = encoding
    }

    /// Bytes per element in the payload.
    public var bytesPerElement: Int {
        switch self {
        case .float32: 4
        case .float16: 2
        case .int8: 1
        }
    }
}
