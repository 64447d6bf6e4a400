// APITypes: one state entry in JSON, with its proof.

public import DeAICore
public import Ledger

/// An entry of the committed state: its canonical value (absent when the key holds nothing), the hash a client
/// passes back as `changed_from` to wait for a change, and the proof against the block header.
public struct StateEntryView: Codable, Sendable, Hashable {
    /// The height the entry was read at.
    public var height: Height
    /// The entry's canonical encoding; `nil` when the key holds nothing.
    public var value: HexBytes?
    /// SHA-256 of the value (of no bytes when absent).
    public var valueHash: SHA256Digest
    /// The proof of the value (or of its absence) against the state root of the block at `height`.
    public var proof: AccountProofView

    private enum CodingKeys: String, CodingKey {
        case height, value, proof, valueHash = "value_hash"
    }

    /// The view of `value` at `height` with `proof`.
    public init(height: Height, value: [UInt8]?, proof: AccountProofView) {
        self.height = height
        self.value = value.map(HexBytes.init)
        self.valueHash = Self.valueHash(value)
        self.proof = proof
    }

    /// The hash clients compare to see a change: SHA-256 of the value, or of no bytes when absent.
    public static func valueHash(_ value: [UInt8]?) -> SHA256Digest {
        SHA256Digest(hashing: value ?? [])
    }
}
