// Tests of DataPartition: determinism, disjointness, coverage, unequal IID shards and label skew.

import Devnet
import Learning
import Testing

@Suite("Devnet data partition")
struct DataPartitionTests {
    /// Every pool index appears exactly once among the owners and evaluators.
    private func expectDisjointCover(_ partition: DataPartition, poolSize: Int) {
        let all = partition.ownerIndices.flatMap { $0 } + partition.evaluatorIndices.flatMap { $0 }
        #expect(all.count == poolSize)
        #expect(Set(all).count == poolSize)
        #expect(Set(all) == Set(0..<poolSize))
    }

    @Test("the same seed gives the same partition, another seed a different one", arguments: [false, true])
    func deterministic(nonIID: Bool) throws {
        let data = try DevnetDataset.digits.load()
        let first = try DataPartition.make(data: data, owners: 5, evaluators: 3, nonIID: nonIID, seed: 11)
        let again = try DataPartition.make(data: data, owners: 5, evaluators: 3, nonIID: nonIID, seed: 11)
        let other = try DataPartition.make(data: data, owners: 5, evaluators: 3, nonIID: nonIID, seed: 12)
        #expect(first.ownerIndices == again.ownerIndices)
        #expect(first.evaluatorIndices == again.evaluatorIndices)
        #expect(first.owners.map(\.features) == again.owners.map(\.features))
        #expect(first.ownerIndices != other.ownerIndices)
    }

    @Test("owners and evaluators are disjoint and cover the pool", arguments: [
        (DevnetDataset.breastCancer, 4, 2, false), (.breastCancer, 5, 3, true),
        (.digits, 4, 2, false), (.digits, 5, 3, true), (.digits, 3, 0, true),
        (.mnist1d, 8, 4, false), (.mnist1d, 10, 2, true),
    ])
    func disjointCover(dataset: DevnetDataset, owners: Int, evaluators: Int, nonIID: Bool) throws {
        let data = try DevnetDataset.load(dataset)
        let partition = try DataPartition.make(data: data, owners: owners, evaluators: evaluators, nonIID: nonIID,
                                               seed: 3)
        #expect(partition.owners.count == owners)
        #expect(partition.evaluators.count == evaluators)
        self.expectDisjointCover(partition, poolSize: data.train.count)
        #expect(partition.pooledOwners.count == partition.owners.reduce(0) { $0 + $1.count })
        for owner in partition.owners {
            #expect(owner.count >= DataPartition.minimumOwnerSamples)
            #expect(owner.classCount == data.classCount)
        }
        // Shards hold the pool's rows: owner 0's first sample is the pool's row at its first index.
        let first = partition.ownerIndices[0][0]
        #expect(try partition.owners[0].features.slice(0..<1) == data.train.features.slice(first..<(first + 1)))
    }

    @Test("evaluators hold about 15% of the pool, every class, in near-equal parts")
    func evaluators() throws {
        let data = try DevnetDataset.digits.load()
        let partition = try DataPartition.make(data: data, owners: 4, evaluators: 3, nonIID: true, seed: 5)
        let heldOut = partition.evaluators.reduce(0) { $0 + $1.count }
        #expect(abs(Double(heldOut) / Double(data.train.count) - 0.15) < 0.01)
        let sizes = partition.evaluators.map(\.count)
        #expect(sizes.max()! - sizes.min()! <= 1)
        for evaluator in partition.evaluators { #expect(Set(evaluator.labels) == Set(0..<10)) }
    }

    @Test("IID shards are shuffled and of unequal sizes, 1 : 2 : 3 : … above the minimum")
    func iidUnequal() throws {
        let data = try DevnetDataset.digits.load()
        let partition = try DataPartition.make(data: data, owners: 4, evaluators: 2, nonIID: false, seed: 1)
        let sizes = partition.owners.map(\.count)
        #expect(sizes == sizes.sorted() && Set(sizes).count == 4)
        // The shares above the minimum are proportional to 1, 2, 3, 4 (to within rounding).
        let extra = sizes.map { $0 - DataPartition.unequalShareBase }
        for (index, share) in extra.enumerated() {
            #expect(abs(Double(share) / Double(extra[0]) - Double(index + 1)) < 0.05)
        }
        // Shuffled, not label-sorted: every owner sees every digit.
        for owner in partition.owners { #expect(Set(owner.labels).count == 10) }
    }

    @Test("non-IID owners see at most two labels when there are enough owners", arguments: [5, 6, 8, 10, 20])
    func nonIIDLabels(owners: Int) throws {
        for dataset in [DevnetDataset.digits, .mnist1d] {
            let data = try dataset.load()
            let partition = try DataPartition.make(data: data, owners: owners, evaluators: 2, nonIID: true, seed: 9)
            for owner in partition.owners { #expect(Set(owner.labels).count <= 2) }
            // Together the owners still see every label.
            #expect(Set(partition.owners.flatMap(\.labels)) == Set(0..<10))
        }
    }

    @Test("with fewer than C/2 owners each non-IID owner gets ⌈C / owners⌉ labels")
    func nonIIDFewOwners() throws {
        let data = try DevnetDataset.digits.load()
        let partition = try DataPartition.make(data: data, owners: 3, evaluators: 2, nonIID: true, seed: 9)
        for owner in partition.owners { #expect(Set(owner.labels).count <= 4) }
    }

    @Test("binary non-IID owners are skewed towards alternating majority classes")
    func binarySkew() throws {
        let data = try DevnetDataset.breastCancer.load()
        let partition = try DataPartition.make(data: data, owners: 4, evaluators: 2, nonIID: true, seed: 2)
        for (index, owner) in partition.owners.enumerated() {
            let majority = owner.labels.filter { $0 == index % 2 }.count
            #expect(Double(majority) / Double(owner.count) >= 0.65, "owner \(index): \(majority)/\(owner.count)")
        }
        let iid = try DataPartition.make(data: data, owners: 4, evaluators: 2, nonIID: false, seed: 2)
        let ratios = iid.owners.map { Double($0.labels.filter { $0 == 1 }.count) / Double($0.count) }
        #expect(ratios.allSatisfy { abs($0 - 0.63) < 0.15 })
    }

    @Test("too many owners or evaluators, and bad arguments, throw with context")
    func errors() throws {
        let data = try DevnetDataset.breastCancer.load()
        #expect(throws: DevnetDataError.tooFewSamples(role: .owner, participants: 400, poolSize: 363, smallest: 0,
                                                      minimum: 1)) {
            try DataPartition.make(data: data, owners: 400, evaluators: 2, nonIID: false, seed: 1)
        }
        #expect(throws: DevnetDataError.tooFewSamples(role: .evaluator, participants: 7, poolSize: 64, smallest: 9,
                                                      minimum: 10)) {
            try DataPartition.make(data: data, owners: 4, evaluators: 7, nonIID: false, seed: 1)
        }
        #expect(throws: DevnetDataError.self) {
            try DataPartition.make(data: data, owners: 0, evaluators: 1, nonIID: false, seed: 1)
        }
        #expect(throws: DevnetDataError.self) {
            try DataPartition.make(data: data, owners: 2, evaluators: 1, nonIID: false, seed: 1, evaluatorFraction: 0.6)
        }
        let message = DevnetDataError.tooFewSamples(role: .owner, participants: 40, poolSize: 363, smallest: 9,
                                                    minimum: 10).description
        #expect(message.contains("40 owners") && message.contains("fewer owners"))
    }
}

extension DevnetDataset {
    /// `dataset.load()`, for argument tables.
    fileprivate static func load(_ dataset: DevnetDataset) throws -> DevnetData { try dataset.load() }
}
