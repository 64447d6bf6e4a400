// The canonical binary encoding of state proofs, for answers that skip JSON.

public import DeAICore

extension StateProof: CanonicalCodable {
    /// The longest state key a proof may name.
    public static let maxKeyBytes = 1_024
    /// The largest state value a proven leaf may carry.
    public static let maxValueBytes = 64 << 20

    /// Writes the key, the leaf count and the three optional leaves (match, left, right).
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(bytes: self.key)
        encoder.encode(self.leafCount)
        encoder.encode(self.match)
        encoder.encode(self.left)
        encoder.encode(self.right)
    }

    /// Reads what ``encode(to:)`` writes.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.init(
            key: try decoder.decodeBytes(maxBytes: Self.maxKeyBytes), leafCount: try decoder.decodeUInt64(),
            match: try decoder.decodeOptional(ProvenLeaf.self), left: try decoder.decodeOptional(ProvenLeaf.self),
            right: try decoder.decodeOptional(ProvenLeaf.self))
    }
}

extension StateProof.ProvenLeaf: CanonicalCodable {
    /// Writes the key, the value and the Merkle path.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(bytes: self.key)
        encoder.encode(bytes: self.value)
        encoder.encode(self.proof)
    }

    /// Reads what ``encode(to:)`` writes.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.init(
            key: try decoder.decodeBytes(maxBytes: StateProof.maxKeyBytes),
            value: try decoder.decodeBytes(maxBytes: StateProof.maxValueBytes), proof: try decoder.decode(MerkleProof.self))
    }
}
