// DeAICore: a Merkle tree kept whole, for proofs without rehashing.

/// Every level of an RFC 6962-style tree (``MerkleTree``), from the leaf hashes up to the root, so that a proof
/// is read off the levels instead of rehashing the tree: building costs what ``MerkleTree/root(leafHashes:)``
/// costs, and each proof then takes O(log n) steps and no hashing. The state commitment keeps one per block and
/// proves state entries from it on every query.
///
/// Level *k + 1* pairs the nodes of level *k* in order; an odd last node moves up unchanged, which builds the same
/// tree as RFC 6962's split at the largest power of two below *n*.
public struct MerkleLevels: Sendable {
    /// The levels, leaf hashes first and the root's level (one node) last; empty for an empty tree.
    public let levels: [[SHA256Digest]]

    /// The tree over `leafHashes`.
    /// - Complexity: *n* − 1 hashes.
    public init(leafHashes: [SHA256Digest]) {
        guard !leafHashes.isEmpty else {
            self.levels = []
            return
        }
        var levels = [leafHashes]
        withUnsafeTemporaryAllocation(byteCount: 65, alignment: 8) { buffer in
            buffer.storeBytes(of: 0x01, toByteOffset: 0, as: UInt8.self)
            while let below = levels.last, below.count > 1 {
                var level: [SHA256Digest] = []
                level.reserveCapacity((below.count + 1) / 2)
                for index in stride(from: 0, to: below.count - 1, by: 2) {
                    level.append(MerkleTree.node(below[index], below[index + 1], buffer: buffer))
                }
                if below.count % 2 == 1, let last = below.last { level.append(last) }
                levels.append(level)
            }
        }
        self.levels = levels
    }

    /// The number of leaves.
    public var leafCount: Int { self.levels.first?.count ?? 0 }

    /// The root: ``MerkleTree/root(leafHashes:)`` of the leaves.
    public var root: SHA256Digest {
        self.levels.last?.first ?? MerkleTree.root(leafHashes: [])
    }

    /// The inclusion proof of the leaf at `index`, equal to ``MerkleTree/proof(leafHashes:index:)``; `nil` when
    /// `index` is out of range.
    /// - Complexity: O(log *n*), no hashing.
    public func proof(index: Int) -> MerkleProof? {
        guard index >= 0, index < self.leafCount else { return nil }
        var path: [SHA256Digest] = []
        var position = index
        for level in self.levels.dropLast() {
            let sibling = position ^ 1
            if sibling < level.count { path.append(level[sibling]) }
            position /= 2
        }
        return MerkleProof(leafIndex: UInt64(index), leafCount: UInt64(self.leafCount), path: path)
    }
}
