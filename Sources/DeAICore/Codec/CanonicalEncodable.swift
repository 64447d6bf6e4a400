// DeAICore: the encoding half of the canonical codec.

/// A type with one canonical binary encoding, used for hashing, signing and the wire.
///
/// The encoding must be deterministic: equal values always produce equal bytes. Write fields in a fixed
/// order with the `CanonicalEncoder` methods; an enum writes a one-byte tag (`encode(_: UInt8)`) and then
/// its associated values.
public protocol CanonicalEncodable {
    /// Appends the canonical encoding of `self` to `encoder`.
    func encode(to encoder: inout CanonicalEncoder)
}

/// A type that can be written to and read from the canonical binary encoding.
public typealias CanonicalCodable = CanonicalEncodable & CanonicalDecodable

// MARK: - Convenience

extension CanonicalEncodable {
    /// The canonical encoding of this value, as a fresh byte array.
    public var canonicalEncoding: [UInt8] {
        var encoder = CanonicalEncoder()
        self.encode(to: &encoder)
        return encoder.bytes
    }
}
