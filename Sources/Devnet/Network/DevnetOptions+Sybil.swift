// How the devnet's sybil attackers share their data: the malicious owners' shards merged, group by group.

import Federation
public import Learning

extension DevnetOptions {
    /// The owners, by index, whose identities share one data shard: with ``Federation/Attack/sybil``, the
    /// malicious owners in owner order (``attack(ofOwner:)``), cut into consecutive groups of
    /// ``Federation/AttackConfiguration/sybilIdentities`` (`k`) — the last group holds the rest when `k` does not
    /// divide them; otherwise none.
    ///
    /// With 10 owners, 3 malicious (owners 1, 5 and 8) and `k = 2`: `[[1, 5], [8]]`.
    public func sybilGroups() -> [[Int]] {
        guard self.attack == .sybil else { return [] }
        let malicious = (0..<self.participants).filter { self.attack(ofOwner: $0) != nil }
        let size = max(self.attackStrengths.sybilIdentities, 1)
        return stride(from: 0, to: malicious.count, by: size).map {
            Array(malicious[$0..<min($0 + size, malicious.count)])
        }
    }
}

extension DataPartition {
    /// The partition with the shards of each group of owners merged: every owner of a group holds the union of the
    /// group's shards (pool indices ascending, as in any shard). The group's identities thus hold exactly the data
    /// its members held before, each all of it, and train on it with their own seeds; the other owners, the
    /// evaluators and ``pooledOwners`` (what centralized training sees) are unchanged.
    /// - Parameters:
    ///   - groups: owner indices, each in one group at most (``DevnetOptions/sybilGroups()``).
    ///   - pool: the training pool the partition divides (``DevnetData/train``).
    /// - Throws: ``Learning/LearningError`` when an index lies outside the pool.
    /// - Complexity: O(n × sample size) for the merged shards' n samples.
    public func mergingShards(of groups: [[Int]], pool: Dataset) throws -> DataPartition {
        var merged = self
        for group in groups where group.count > 1 {
            let indices = group.flatMap { self.ownerIndices[$0] }.sorted()
            let shard = try pool.subset(indices)
            for owner in group {
                merged.ownerIndices[owner] = indices
                merged.owners[owner] = shard
            }
        }
        return merged
    }
}
