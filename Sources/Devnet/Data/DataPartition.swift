// DataPartition: the devnet's training pool divided among data owners and evaluators.

public import Learning

/// The training pool divided, deterministically from a seed, among data owners and evaluators.
///
/// First each evaluator gets a disjoint validation slice: `evaluatorFraction` of every class is held out
/// (stratified), and the held-out samples are dealt class by class, round robin, so every evaluator sees every
/// class in about the pool's proportions. The rest of the pool goes to the owners by one of two schemes:
///
/// - **IID** (`nonIID: false`): the owners' samples are shuffled and cut into shards of *unequal* sizes, so that
///   contributions differ measurably. Owner `i` (from 0) gets ``unequalShareBase`` samples (fewer when the pool
///   is too small for that) plus a share of the rest proportional to `i + 1`: with 4 owners the shares are 1 : 2 : 3 : 4, the last owner holding the most data.
///   With `equalShares` the shards' sizes differ by at most one sample instead (what benchmarks compare).
/// - **Non-IID by label** (`nonIID: true`):
///   - with more than two classes, the classic label-shard scheme: each class is cut into shards and each owner
///     gets `max(2, ⌈classes / owners⌉)` shards of different classes, so with `2 × owners ≥ classes` every owner
///     sees at most two labels. Unlike cutting one label-sorted list into equal shards, every shard holds a single
///     label, so the two-label bound always holds; shard sizes, and so owner sizes, vary with the class sizes.
///     The classes are laid out in a seeded random order, each gets ⌊S / C⌋ or ⌈S / C⌉ of the S shards, and shard
///     `j` goes to owner `j mod owners`;
///   - with two classes (breast cancer), a label skew: owner `i`'s majority class is `i mod 2`, and each class is
///     dealt among the owners with weight 4 for those whose majority class it is and 1 for the others (80/20).
///
/// Every owner and evaluator gets at least ``minimumOwnerSamples`` / ``minimumEvaluatorSamples`` samples, or
/// ``make(data:owners:evaluators:nonIID:equalShares:seed:evaluatorFraction:)`` throws.
///
/// Determinism: the partition depends only on the pool, the arguments and the seed; shuffles use
/// `Xoshiro256(seed:)` with a platform-independent Fisher–Yates, so every node computes the same partition.
public struct DataPartition: Sendable {
    /// Each data owner's training shard, in owner order.
    public var owners: [Dataset]
    /// Each evaluator's validation set, in evaluator order.
    public var evaluators: [Dataset]
    /// The pool indices of each owner's samples, ascending.
    public var ownerIndices: [[Int]]
    /// The pool indices of each evaluator's samples, ascending.
    public var evaluatorIndices: [[Int]]
    /// The union of every owner's shard (in pool order): what centralized training would see.
    public var pooledOwners: Dataset

    /// The fewest samples a data owner may hold: one, as a phone in cross-device training may.
    public static let minimumOwnerSamples = 1
    /// What every owner of unequal IID shards gets before the shares proportional to `i + 1`, pool permitting.
    public static let unequalShareBase = 10
    /// The fewest samples an evaluator may hold.
    public static let minimumEvaluatorSamples = 10
    /// The default fraction of the pool held out for evaluators.
    public static let defaultEvaluatorFraction = 0.15

    /// Partitions a training pool among `owners` data owners and `evaluators` evaluators.
    /// - Parameters:
    ///   - data: the training pool (``DevnetData/train``), a classification data set.
    ///   - owners: the number of data owners, at least 1.
    ///   - evaluators: the number of evaluators, 0 or more; with 0 the owners share the whole pool.
    ///   - nonIID: whether owners get label-skewed shards rather than shuffled ones.
    ///   - equalShares: whether IID shards have equal sizes rather than 1 : 2 : … : `owners`.
    ///   - seed: the seed of every random choice.
    ///   - evaluatorFraction: the part of the pool held out for evaluators, in (0, 0.5).
    /// - Throws: ``DevnetDataError/invalidArgument(name:value:reason:)`` for a bad count or fraction, or
    ///   ``DevnetDataError/tooFewSamples(role:participants:poolSize:smallest:minimum:)`` when some owner or
    ///   evaluator would get too few samples.
    /// - Complexity: O(n log n) for a pool of n samples.
    public static func make(data: Dataset, owners: Int, evaluators: Int, nonIID: Bool, equalShares: Bool = false,
                            seed: UInt64, evaluatorFraction: Double = DataPartition.defaultEvaluatorFraction) throws
        -> DataPartition
    {
        guard owners >= 1 else {
            throw DevnetDataError.invalidArgument(name: "owners", value: "\(owners)", reason: "need at least one owner")
        }
        guard evaluators >= 0 else {
            throw DevnetDataError.invalidArgument(name: "evaluators", value: "\(evaluators)",
                                                  reason: "cannot be negative")
        }
        guard evaluatorFraction > 0, evaluatorFraction < 0.5 else {
            throw DevnetDataError.invalidArgument(name: "evaluatorFraction", value: "\(evaluatorFraction)",
                                                  reason: "must lie in (0, 0.5)")
        }
        guard data.isClassification, data.count > 0 else {
            throw DevnetDataError.invalidArgument(name: "data", value: "\(data.count) samples",
                                                  reason: "need a non-empty classification data set")
        }
        var generator = Xoshiro256(seed: seed)
        let byClass = (0..<data.classCount).map { label in data.labels.indices.filter { data.labels[$0] == label } }
            .map { generator.shuffled($0) }

        var ownerPool = byClass
        var evaluatorIndices: [[Int]] = []
        if evaluators > 0 {
            var heldOut: [Int] = []
            for (label, members) in byClass.enumerated() {
                let count = Int((evaluatorFraction * Double(members.count)).rounded())
                heldOut += members.prefix(count)
                ownerPool[label] = Array(members.dropFirst(count))
            }
            evaluatorIndices = (0..<evaluators).map { evaluator in
                stride(from: evaluator, to: heldOut.count, by: evaluators).map { heldOut[$0] }
            }
            try Self.check(evaluatorIndices, role: .evaluator, minimum: Self.minimumEvaluatorSamples)
        }

        let ownerIndices: [[Int]]
        if !nonIID {
            ownerIndices = try Self.iidShards(
                of: generator.shuffled(ownerPool.flatMap { $0 }), owners: owners, equal: equalShares)
        } else if ownerPool.filter({ !$0.isEmpty }).count == 2 {
            ownerIndices = Self.labelSkew(ownerPool.filter { !$0.isEmpty }, owners: owners)
        } else {
            ownerIndices = Self.labelShards(ownerPool.filter { !$0.isEmpty }, owners: owners, using: &generator)
        }
        try Self.check(ownerIndices, role: .owner, minimum: Self.minimumOwnerSamples)

        let sortedOwners = ownerIndices.map { $0.sorted() }
        let sortedEvaluators = evaluatorIndices.map { $0.sorted() }
        return DataPartition(
            owners: try sortedOwners.map { try data.subset($0) },
            evaluators: try sortedEvaluators.map { try data.subset($0) },
            ownerIndices: sortedOwners,
            evaluatorIndices: sortedEvaluators,
            pooledOwners: try data.subset(sortedOwners.flatMap { $0 }.sorted())
        )
    }

    /// Partitions the training split of a loaded devnet data set; see
    /// ``make(data:owners:evaluators:nonIID:equalShares:seed:evaluatorFraction:)``.
    public static func make(data: DevnetData, owners: Int, evaluators: Int, nonIID: Bool, equalShares: Bool = false,
                            seed: UInt64, evaluatorFraction: Double = DataPartition.defaultEvaluatorFraction) throws
        -> DataPartition
    {
        try Self.make(data: data.train, owners: owners, evaluators: evaluators, nonIID: nonIID,
                      equalShares: equalShares, seed: seed, evaluatorFraction: evaluatorFraction)
    }

    /// Throws when any group is smaller than `minimum`.
    private static func check(_ groups: [[Int]], role: DevnetDataError.Role, minimum: Int) throws {
        let smallest = groups.map(\.count).min() ?? 0
        guard smallest >= minimum else {
            throw DevnetDataError.tooFewSamples(role: role, participants: groups.count,
                                                poolSize: groups.reduce(0) { $0 + $1.count }, smallest: smallest,
                                                minimum: minimum)
        }
    }
}
