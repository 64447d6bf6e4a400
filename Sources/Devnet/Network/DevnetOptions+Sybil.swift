// How the devnet's sybil attackers share their data: one shard behind each group of identities.

import Federation

extension DevnetOptions {
    /// The owners, by index, whose identities share one data shard (the first one's): with
    /// ``Federation/Attack/sybil``, the malicious owners in owner order (``attack(ofOwner:)``), cut into consecutive
    /// groups of ``Federation/AttackConfiguration/sybilIdentities`` (`k`) — the last group holds the rest when `k`
    /// does not divide them; otherwise none.
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
    /// The partition with each group of owners sharing one shard: every owner of a group holds the shard of the
    /// group's first owner, and the other members' own shards go unused. A group is then one data owner behind
    /// several identities, each training on the same data with its own seed, as a Sybil attacker is; the other
    /// owners, the evaluators and ``pooledOwners`` (what centralized training sees) are unchanged.
    /// - Parameter groups: owner indices, each in one group at most (``DevnetOptions/sybilGroups()``).
    /// - Complexity: O(owners in the groups).
    public func sharingFirstShard(of groups: [[Int]]) -> DataPartition {
        var shared = self
        for group in groups {
            guard let first = group.first else { continue }
            for owner in group.dropFirst() {
                shared.ownerIndices[owner] = self.ownerIndices[first]
                shared.owners[owner] = self.owners[first]
            }
        }
        return shared
    }
}
