// DataPartition+Schemes: how the owners' part of the pool is cut into shards.

extension DataPartition {
    /// IID shards taken in order from the already shuffled `pool`: of unequal sizes, owner `i` getting
    /// ``unequalShareBase`` (or the pool's equal share, if smaller) plus a share of the rest proportional to `i + 1`,
    /// or with `equal`, sizes that differ by at most one.
    /// - Throws: ``DevnetDataError/tooFewSamples(role:participants:poolSize:smallest:minimum:)`` when the pool
    ///   cannot give every owner the minimum.
    static func iidShards(of pool: [Int], owners: Int, equal: Bool) throws -> [[Int]] {
        guard pool.count >= owners * Self.minimumOwnerSamples else {
            throw DevnetDataError.tooFewSamples(role: .owner, participants: owners, poolSize: pool.count,
                                                smallest: pool.count / owners, minimum: Self.minimumOwnerSamples)
        }
        let floor = min(Self.unequalShareBase, pool.count / owners)
        let extra = apportion(pool.count - owners * floor, weights: (1...owners).map { equal ? 1 : Double($0) })
        var start = 0
        return extra.map { share in
            defer { start += floor + share }
            return Array(pool[start..<(start + floor + share)])
        }
    }

    /// Two-class label skew: each class's (shuffled) samples are dealt in order among the owners with weight 4 for
    /// the owners whose majority class it is (owner `i`'s is class `i mod 2`) and 1 for the others.
    static func labelSkew(_ classes: [[Int]], owners: Int) -> [[Int]] {
        var shards = [[Int]](repeating: [], count: owners)
        for (position, members) in classes.enumerated() {
            let weights = (0..<owners).map { $0 % 2 == position ? 4.0 : 1.0 }
            var start = 0
            for (owner, count) in apportion(members.count, weights: weights).enumerated() {
                shards[owner] += members[start..<(start + count)]
                start += count
            }
        }
        return shards
    }

    /// Label shards: every shard holds one class; each owner gets `max(2, ⌈C / owners⌉)` shards, of different
    /// classes whenever no class has more shards than there are owners.
    static func labelShards(_ classes: [[Int]], owners: Int, using generator: inout some RandomNumberGenerator)
        -> [[Int]]
    {
        let perOwner = max(2, (classes.count + owners - 1) / owners)
        let shardCount = perOwner * owners
        let order = generator.shuffled(Array(classes.indices))
        // ⌊S / C⌋ shards for every class, one more for the first S mod C classes of the random order.
        var laidOut: [[Int]] = []
        for (rank, label) in order.enumerated() {
            let members = classes[label]
            let pieces = shardCount / classes.count + (rank < shardCount % classes.count ? 1 : 0)
            var start = 0
            for size in apportion(members.count, weights: Array(repeating: 1, count: pieces)) {
                laidOut.append(Array(members[start..<(start + size)]))
                start += size
            }
        }
        var shards = [[Int]](repeating: [], count: owners)
        for (index, shard) in laidOut.enumerated() { shards[index % owners] += shard }
        return shards
    }
}
