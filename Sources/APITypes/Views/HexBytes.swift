// APITypes: byte strings in JSON.

import DeAICore

/// Bytes shown in JSON as a string of lowercase hex digits, such as a transaction's canonical encoding or a state
/// proof's key. Decoding accepts either case and rejects anything else.
public struct HexBytes: Codable, Sendable, Hashable {
    /// The bytes.
    public var bytes: [UInt8]

    /// Wraps `bytes`.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Decodes a hex string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        do {
            self.bytes = try [UInt8](hexString: string)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the bytes as lowercase hex.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.bytes.hexString)
    }
}
