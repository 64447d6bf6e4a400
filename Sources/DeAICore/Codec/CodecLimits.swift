// DeAICore: size limits that bound what a decoder may allocate.

/// The largest byte-string length and array count a `CanonicalDecoder` accepts.
///
/// Limits protect a node from a peer that announces a huge length: the decoder rejects it with
/// `.fieldTooLarge` before allocating anything. A call site that knows a tighter bound (a memo, a
/// signature list) passes its own `maxBytes` or `maxCount`, which takes precedence.
public struct CodecLimits: Sendable, Hashable {
    /// The largest length of one byte string or string, in bytes.
    public var maxFieldBytes: Int
    /// The largest number of elements in one array.
    public var maxArrayCount: Int

    /// Creates limits; the defaults are 1 MiB per field and 2^20 elements per array.
    public init(maxFieldBytes: Int = 1 << 20, maxArrayCount: Int = 1 << 20) {
        self.maxFieldBytes = maxFieldBytes
        self.maxArrayCount = maxArrayCount
    }

    /// 1 MiB per field, 2^20 elements per array.
    public static let `default` = CodecLimits()
}
