// APITypes: a state proof in JSON, convertible back to the ledger's proof.

public import DeAICore
public import Ledger

/// A proof that a state key holds a value, or holds none: ``stateProof`` rebuilds the ledger's
/// ``Ledger/StateProof`` to verify.
public struct StateProofView: Codable, Sendable, Hashable {
    /// A leaf of the state tree with its Merkle path.
    public struct LeafView: Codable, Sendable, Hashable {
        /// The leaf's key bytes.
        public var key: HexBytes
        /// The leaf's canonical value bytes.
        public var value: HexBytes
        /// The leaf's position.
        public var leafIndex: UInt64
        /// The sibling hashes from the leaf up to the root.
        public var path: [SHA256Digest]

        private enum CodingKeys: String, CodingKey {
            case key, value, path, leafIndex = "leaf_index"
        }
    }

    /// The key the proof is about.
    public var key: HexBytes
    /// The number of leaves in the state tree.
    public var leafCount: UInt64
    /// The leaf holding the key (an inclusion proof).
    public var match: LeafView?
    /// The greatest leaf below the key (a proof of absence).
    public var left: LeafView?
    /// The least leaf above the key (a proof of absence).
    public var right: LeafView?

    private enum CodingKeys: String, CodingKey {
        case key, match, left, right, leafCount = "leaf_count"
    }

    /// The view of `proof`.
    public init(_ proof: StateProof) {
        self.key = HexBytes(proof.key)
        self.leafCount = proof.leafCount
        self.match = proof.match.map(LeafView.init)
        self.left = proof.left.map(LeafView.init)
        self.right = proof.right.map(LeafView.init)
    }

    /// The ledger's proof, to `verify(against:)` a state root.
    public var stateProof: StateProof {
        StateProof(
            key: self.key.bytes, leafCount: self.leafCount,
            match: self.match?.provenLeaf(leafCount: self.leafCount),
            left: self.left?.provenLeaf(leafCount: self.leafCount),
            right: self.right?.provenLeaf(leafCount: self.leafCount)
        )
    }
}

extension StateProofView.LeafView {
    /// The view of `leaf`.
    init(_ leaf: StateProof.ProvenLeaf) {
        self.key = HexBytes(leaf.key)
        self.value = HexBytes(leaf.value)
        self.leafIndex = leaf.proof.leafIndex
        self.path = leaf.proof.path
    }

    /// The ledger's leaf in a tree of `leafCount` leaves (the count the enclosing proof carries).
    func provenLeaf(leafCount: UInt64) -> StateProof.ProvenLeaf {
        StateProof.ProvenLeaf(
            key: self.key.bytes, value: self.value.bytes,
            proof: MerkleProof(leafIndex: self.leafIndex, leafCount: leafCount, path: self.path)
        )
    }
}
