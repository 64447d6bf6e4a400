// DeAICore: the decoding half of the canonical codec.

/// A type that can be read back from its canonical binary encoding.
///
/// Decoding is strict: every encoding that `CanonicalEncodable` would not produce for some value is rejected
/// with a `CodecError` (non-minimal integers, booleans other than 0/1, invalid UTF-8, unknown enum tags,
/// oversized fields). A type with extra invariants checks them here and throws `.invalidValue`.
public protocol CanonicalDecodable {
    /// Reads a value from `decoder`, advancing its offset past the value.
    init(from decoder: inout CanonicalDecoder) throws(CodecError)
}

// MARK: - Convenience

extension CanonicalDecodable {
    /// Decodes a value that must fill `bytes` exactly.
    ///
    /// - Parameters:
    ///   - bytes: The canonical encoding of one value.
    ///   - limits: The largest field and array sizes to accept.
    /// - Throws: `CodecError`, including `.trailingBytes` when bytes remain after the value.
    public init(canonicalEncoding bytes: [UInt8], limits: CodecLimits = .default) throws(CodecError) {
        var decoder = CanonicalDecoder(bytes: bytes, limits: limits)
        self = try Self(from: &decoder)
        try decoder.finish()
    }
}
