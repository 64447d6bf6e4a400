// The Merkle commitment to the state: the stateRoot of every block header.

public import DeAICore

/// A Merkle commitment to the sorted key-value state, updated incrementally block by block.
///
/// Leaf *i* is the *i*-th entry in key order, hashed as `MerkleTree.leafHash(canonical(key) ‖ canonical(value))`;
/// the root is ``MerkleTree/root(leafHashes:)`` over all leaves. A sorted tree gives both inclusion proofs (the
/// leaf and its path) and non-inclusion proofs (the two adjacent leaves that bracket the missing key).
///
/// - Complexity: ``apply(_:)`` merges k sorted changes into n entries in O(n + k) and rehashes the tree (O(n)
///   hashes, once per block); the tree's levels are kept, so ``proof(for:)`` is O(log n) with no hashing.
public struct StateCommitment: Sendable {
    private var keys: [[UInt8]] = []
    private var values: [[UInt8]] = []
    private var tree = MerkleLevels(leafHashes: [])

    /// The root of the state, cached after each ``apply(_:)``.
    public var root: SHA256Digest { self.tree.root }

    /// An empty commitment.
    public init() {}

    /// A commitment to every entry of `state`.
    public init(state: LedgerState) {
        self.apply(state.allEntries)
    }

    /// The number of entries committed.
    public var count: Int { self.keys.count }

    /// The leaf hash of an entry.
    public static func leafHash(key: [UInt8], value: [UInt8]) -> SHA256Digest {
        var encoder = CanonicalEncoder()
        encoder.encode(bytes: key)
        encoder.encode(bytes: value)
        return MerkleTree.leafHash(encoder.bytes)
    }

    /// Merges `changes` (sorted by key, as ``LedgerState/takeChanges()`` returns them) and recomputes the root.
    public mutating func apply(_ changes: [StateChange]) {
        guard !changes.isEmpty else { return }
        var keys: [[UInt8]] = []
        var values: [[UInt8]] = []
        var hashes: [SHA256Digest] = []
        keys.reserveCapacity(self.keys.count + changes.count)
        values.reserveCapacity(keys.capacity)
        hashes.reserveCapacity(keys.capacity)
        var old = 0
        var new = 0
        while old < self.keys.count || new < changes.count {
            let takeOld: Bool
            var replacesOld = false
            if new == changes.count {
                takeOld = true
            } else if old == self.keys.count {
                takeOld = false
            } else if self.keys[old] == changes[new].key {
                takeOld = false
                replacesOld = true
            } else {
                takeOld = self.keys[old].lexicographicallyPrecedes(changes[new].key)
            }
            if takeOld {
                keys.append(self.keys[old])
                values.append(self.values[old])
                hashes.append(self.tree.levels[0][old])
                old += 1
            } else {
                let change = changes[new]
                if let value = change.value {
                    keys.append(change.key)
                    values.append(value)
                    hashes.append(Self.leafHash(key: change.key, value: value))
                }
                new += 1
                if replacesOld { old += 1 }
            }
        }
        self.keys = keys
        self.values = values
        self.tree = MerkleLevels(leafHashes: hashes)
    }

    /// A proof that `key` holds its current value, or that it holds none.
    public func proof(for key: StateKey) -> StateProof {
        let keyBytes = key.bytes
        let index = self.firstIndex(notBefore: keyBytes)
        let leafCount = UInt64(self.keys.count)
        if index < self.keys.count, self.keys[index] == keyBytes {
            return StateProof(key: keyBytes, leafCount: leafCount, match: self.provenLeaf(at: index))
        }
        return StateProof(
            key: keyBytes, leafCount: leafCount,
            left: index > 0 ? self.provenLeaf(at: index - 1) : nil,
            right: index < self.keys.count ? self.provenLeaf(at: index) : nil
        )
    }

    private func provenLeaf(at index: Int) -> StateProof.ProvenLeaf? {
        guard let path = self.tree.proof(index: index) else { return nil }
        return StateProof.ProvenLeaf(key: self.keys[index], value: self.values[index], proof: path)
    }

    private func firstIndex(notBefore key: [UInt8]) -> Int {
        var low = 0
        var high = self.keys.count
        while low < high {
            let mid = (low + high) / 2
            if self.keys[mid].lexicographicallyPrecedes(key) { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
