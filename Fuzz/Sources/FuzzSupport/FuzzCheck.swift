// FuzzCheck: the properties a fuzz target asserts about what decodes.

public import DeAICore

/// Checks a fuzz target makes on the inputs that decode; a failed check stops the fuzzer as a crash would.
public enum FuzzCheck {
    /// Stops the process, printing `message`, unless `condition` holds.
    public static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        guard condition else { fatalError("fuzz property violated: \(message())") }
    }

    /// Decodes `bytes` as a `T` that must fill them exactly, and, when that succeeds, checks that the codec is
    /// canonical: re-encoding gives back exactly `bytes` (the decoder accepts only what the encoder writes), and
    /// those bytes decode to an equal value.
    /// - Returns: the decoded value, or `nil` when the bytes were rejected with a `CodecError`.
    @discardableResult
    public static func canonicalRoundTrip<T: CanonicalCodable & Equatable>(
        _ type: T.Type,
        _ bytes: [UInt8],
        limits: CodecLimits = .default
    ) -> T? {
        guard let value = try? T(canonicalEncoding: bytes, limits: limits) else { return nil }
        let encoding = value.canonicalEncoding
        Self.require(encoding == bytes, "\(T.self): \(bytes.count) bytes decode, but re-encode to \(encoding.count) other bytes")
        let again = try? T(canonicalEncoding: encoding, limits: limits)
        Self.require(again == value, "\(T.self): the re-encoding decodes to a different value")
        return value
    }
}
