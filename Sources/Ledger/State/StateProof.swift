// Proofs that a key holds a value, or none, under a state root.

public import DeAICore

/// A proof, checkable by anyone holding a block header, that a state key holds a value or holds none.
///
/// Inclusion: the leaf itself and its Merkle path. Non-inclusion: the two neighbouring leaves, adjacent in the
/// sorted tree, whose keys bracket the missing key (one of them is absent at either end of the tree).
public struct StateProof: Sendable, Hashable, Codable {
    /// A leaf with its Merkle path.
    public struct ProvenLeaf: Sendable, Hashable, Codable {
        /// The leaf's key bytes.
        public var key: [UInt8]
        /// The leaf's canonical value bytes.
        public var value: [UInt8]
        /// The leaf's path to the root.
        public var proof: MerkleProof

        /// A leaf with every field given.
        public init(key: [UInt8], value: [UInt8], proof: MerkleProof) {
            self.key = key
            self.value = value
            self.proof = proof
        }

        private enum CodingKeys: String, CodingKey { case key, value, proof }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.key = try [UInt8](hexString: try container.decode(String.self, forKey: .key))
            self.value = try [UInt8](hexString: try container.decode(String.self, forKey: .value))
            self.proof = try container.decode(MerkleProof.self, forKey: .proof)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(self.key.hexString, forKey: .key)
            try container.encode(self.value.hexString, forKey: .value)
            try container.encode(self.proof, forKey: .proof)
        }

        fileprivate func verifies(root: SHA256Digest, leafCount: UInt64) -> Bool {
            self.proof.leafCount == leafCount
                && self.proof.verifies(leafHash: StateCommitment.leafHash(key: self.key, value: self.value), root: root)
        }
    }

    /// The key the proof is about.
    public var key: [UInt8]
    /// The number of leaves in the tree.
    public var leafCount: UInt64
    /// The leaf holding the key, for an inclusion proof.
    public var match: ProvenLeaf?
    /// The greatest leaf below the key, for a non-inclusion proof.
    public var left: ProvenLeaf?
    /// The least leaf above the key, for a non-inclusion proof.
    public var right: ProvenLeaf?

    /// A proof with every field given.
    public init(key: [UInt8], leafCount: UInt64, match: ProvenLeaf? = nil, left: ProvenLeaf? = nil, right: ProvenLeaf? = nil) {
        self.key = key
        self.leafCount = leafCount
        self.match = match
        self.left = left
        self.right = right
    }

    /// Checks the proof against `root` (a block header's `stateRoot`).
    /// - Returns: the proven value bytes, or `nil` when the proof shows the key holds no value.
    /// - Throws: ``LedgerError/invalidProof(reason:)`` when the proof does not hold.
    public func verify(against root: SHA256Digest) throws(LedgerError) -> [UInt8]? {
        if let match = self.match {
            guard match.key == self.key else { throw .invalidProof(reason: "the proven leaf has another key") }
            guard match.verifies(root: root, leafCount: self.leafCount) else {
                throw .invalidProof(reason: "the leaf's Merkle path does not lead to the state root")
            }
            return match.value
        }
        if self.leafCount == 0 {
            guard root == MerkleTree.root(leafHashes: []) else { throw .invalidProof(reason: "the tree is not empty") }
            return nil
        }
        if let left = self.left {
            guard left.verifies(root: root, leafCount: self.leafCount) else {
                throw .invalidProof(reason: "the left neighbour's path does not lead to the state root")
            }
            guard left.key.lexicographicallyPrecedes(self.key) else {
                throw .invalidProof(reason: "the left neighbour's key is not below the key")
            }
        } else if self.right?.proof.leafIndex != 0 {
            throw .invalidProof(reason: "no left neighbour, yet the right neighbour is not the first leaf")
        }
        if let right = self.right {
            guard right.verifies(root: root, leafCount: self.leafCount) else {
                throw .invalidProof(reason: "the right neighbour's path does not lead to the state root")
            }
            guard self.key.lexicographicallyPrecedes(right.key) else {
                throw .invalidProof(reason: "the right neighbour's key is not above the key")
            }
        } else if self.left?.proof.leafIndex != self.leafCount - 1 {
            throw .invalidProof(reason: "no right neighbour, yet the left neighbour is not the last leaf")
        }
        if let left = self.left, let right = self.right, left.proof.leafIndex + 1 != right.proof.leafIndex {
            throw .invalidProof(reason: "the neighbours are not adjacent leaves")
        }
        return nil
    }
}
