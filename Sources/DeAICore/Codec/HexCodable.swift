// DeAICore: JSON coding of fixed-size byte values as lowercase hex strings.

/// A value made of raw bytes that JSON carries as one lowercase hex string (keys, signatures).
///
/// Conforming types get `Codable` from here: decoding checks the hex and the bytes through
/// ``init(rawRepresentation:)``, so a malformed string is a `DecodingError` naming ``hexCodingName``.
public protocol HexCodable: Codable {
    /// What the bytes are, for error messages ("public key", "signature").
    static var hexCodingName: String { get }
    /// The raw bytes.
    var rawRepresentation: [UInt8] { get }
    /// The value of `rawRepresentation`, or a ``CodecError`` when the bytes are no such value.
    init(rawRepresentation: some Collection<UInt8>) throws(CodecError)
}

extension HexCodable {
    /// Decodes the value from its hex string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        do {
            try self.init(rawRepresentation: try [UInt8](hexString: string))
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid \(Self.hexCodingName): \(error)")
        }
    }

    /// Encodes the value as lowercase hex.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawRepresentation.hexString)
    }
}
