// DeAICore: Merkle inclusion proofs.

/// A proof that a leaf is in a Merkle tree of `leafCount` leaves at position `leafIndex` (RFC 6962 audit path).
///
/// Verification recomputes the root from the leaf hash and the path, in the order of RFC 9162 §2.1.3.2, and
/// compares it to a trusted root (for example one from a block header).
public struct MerkleProof: Sendable, Hashable, Codable {
    /// The largest path a tree of at most 2^64 leaves can need.
    public static let maxPathLength = 64

    /// The position of the leaf, from 0.
    public var leafIndex: UInt64
    /// The number of leaves in the tree.
    public var leafCount: UInt64
    /// The sibling hashes from the leaf up to the root.
    public var path: [SHA256Digest]

    /// Creates a proof from its parts.
    public init(leafIndex: UInt64, leafCount: UInt64, path: [SHA256Digest]) {
        self.leafIndex = leafIndex
        self.leafCount = leafCount
        self.path = path
    }

    /// The root that this proof and `leafHash` imply, or `nil` when the index, count and path length do not
    /// fit together.
    ///
    /// - Complexity: O(*p*), where *p* is `path.count`.
    public func root(forLeafHash leafHash: SHA256Digest) -> SHA256Digest? {
        guard self.leafIndex < self.leafCount else {
            return nil
        }
        var index = self.leafIndex
        var last = self.leafCount - 1
        var root = leafHash
        for sibling in self.path {
            guard last != 0 else {
                return nil
            }
            if index & 1 == 1 || index == last {
                root = MerkleTree.node(sibling, root)
                while index & 1 == 0 && index != 0 {
                    index >>= 1
                    last >>= 1
                }
            } else {
                root = MerkleTree.node(root, sibling)
            }
            index >>= 1
            last >>= 1
        }
        return last == 0 ? root : nil
    }

    /// Whether this proof shows `leafHash` at `leafIndex` in the tree with root `root`.
    ///
    /// - Complexity: O(*p*), where *p* is `path.count`.
    public func verifies(leafHash: SHA256Digest, root: SHA256Digest) -> Bool {
        self.root(forLeafHash: leafHash) == root
    }
}

// MARK: - CanonicalCodable

extension MerkleProof: CanonicalCodable {
    /// Writes the index, the count and the path.
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.leafIndex)
        encoder.encode(self.leafCount)
        encoder.encode(self.path)
    }

    /// Reads the index, the count and a path of at most `maxPathLength` hashes.
    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.leafIndex = try decoder.decodeUInt64()
        self.leafCount = try decoder.decodeUInt64()
        self.path = try decoder.decodeArray(of: SHA256Digest.self, maxCount: Self.maxPathLength)
    }
}
