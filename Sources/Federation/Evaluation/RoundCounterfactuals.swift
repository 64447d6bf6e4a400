// RoundCounterfactuals: the round aggregates a harm measurement compares, in O(d) each under FedAvg.

/// The round aggregates that measuring harm compares: the clean updates' ``roundAggregate(_:rule:)``, and the
/// same with one update left out, a zero update in its place, an excluded update added, or a zero added.
///
/// Under FedAvg each is O(d) rather than the O(n·d) of calling ``roundAggregate(_:rule:)`` on the changed set,
/// so scoring 1,000 updates costs thousands of vector passes, not millions. The aggregate of a set `S` is
/// `(1/|S|) Σ_{j∈S} min(1, m/‖uⱼ‖) uⱼ` with `m` the median norm of `S`; changing one member moves `m` to one of a
/// handful of values, so the clipped sum over the clean updates is computed once per distinct `m`, and each
/// change then subtracts or adds one clipped update. The result equals ``roundAggregate(_:rule:)`` up to `Float`
/// rounding: sums here stay in `Double`, in index order, and are rounded once. Other rules have no such shortcut
/// and aggregate the changed set in full.
///
/// **Determinism:** norms, medians and sums are computed in a fixed order, so every evaluator gets the same bits
/// from the same updates.
struct RoundCounterfactuals: Sendable {
    /// A set of updates that differs from the clean ones in at most one place.
    enum Change: Hashable, Sendable {
        /// The clean updates themselves.
        case none
        /// Without the clean update at this index.
        case leaveOut(Int)
        /// With a zero update in place of the clean update at this index.
        case zeroInPlace(Int)
        /// With the excluded update at this index added, in index order.
        case add(Int)
        /// With a zero update added where the excluded update at this index would be.
        case addZero(Int)
    }

    private let updates: [[Float]]
    private let dimension: Int
    private let clean: [Int]
    private let rule: AggregationRule
    private let norms: [Double]
    /// Under FedAvg, the clipped sums over the clean updates, one per median norm the changes need.
    private let sums: [(median: Double, sum: [Double])]
    /// Under FedAvg, the median norm of each prepared change's set (a lookup table, never iterated).
    private let medians: [Change: Double]

    /// Prepares every aggregate that `changes` will ask for.
    /// - Parameters:
    ///   - updates: the round's updates; those at `clean` and at any `add` index must be finite and of the model's
    ///     length, `dimension`.
    ///   - clean: the clean updates' indices, ascending.
    ///   - rule: the task's aggregation rule.
    ///   - changes: every change ``step(_:)`` will be asked for.
    /// - Complexity: under FedAvg, O(n·d) per distinct median (a few), plus O(n log n) per distinct change; nothing
    ///   otherwise.
    init(updates: [[Float]], dimension: Int, clean: [Int], rule: AggregationRule, changes: [Change]) {
        self.updates = updates
        self.dimension = dimension
        self.clean = clean
        self.rule = rule
        guard rule == .fedavg else {
            (self.norms, self.sums, self.medians) = ([], [], [:])
            return
        }
        let norms = updates.map(euclideanNorm)
        var sums: [(median: Double, sum: [Double])] = []
        var medians: [Change: Double] = [:]
        for change in changes where medians[change] == nil {
            let median = Self.median(norms: norms, clean: clean, change: change)
            medians[change] = median
            guard !sums.contains(where: { $0.median == median }) else { continue }
            var sum = [Double](repeating: 0, count: dimension)
            for index in clean {
                let scale = Self.scale(norm: norms[index], median: median)
                for k in sum.indices { sum[k] += Double(updates[index][k]) * scale }
            }
            sums.append((median, sum))
        }
        (self.norms, self.sums, self.medians) = (norms, sums, medians)
    }

    /// The round aggregate of the changed set, or `nil` when the set is empty (the round takes no step).
    /// - Precondition: under FedAvg, `change` was among those given to ``init(updates:dimension:clean:rule:changes:)``.
    /// - Throws: `FederationError` from ``roundAggregate(_:rule:)`` for a rule other than FedAvg.
    func step(_ change: Change) throws(FederationError) -> [Float]? {
        guard self.rule == .fedavg else {
            let members = self.members(change)
            return members.isEmpty ? nil : try roundAggregate(members, rule: self.rule)
        }
        guard let median = self.medians[change], var total = self.sums.first(where: { $0.median == median })?.sum else {
            preconditionFailure("RoundCounterfactuals was not prepared for \(change)")
        }
        var count = self.clean.count
        switch change {
        case .none:
            break
        case .leaveOut(let index):
            self.subtract(index, median: median, from: &total)
            count -= 1
        case .zeroInPlace(let index):
            self.subtract(index, median: median, from: &total)
        case .add(let index):
            let scale = Self.scale(norm: self.norms[index], median: median)
            for k in total.indices { total[k] += Double(self.updates[index][k]) * scale }
            count += 1
        case .addZero:
            count += 1
        }
        guard count > 0 else { return nil }
        return total.map { Float($0 / Double(count)) }
    }

    private func subtract(_ index: Int, median: Double, from total: inout [Double]) {
        let scale = Self.scale(norm: self.norms[index], median: median)
        for k in total.indices { total[k] -= Double(self.updates[index][k]) * scale }
    }

    /// The changed set's updates in index order, a zero update standing where the change puts one.
    private func members(_ change: Change) -> [[Float]] {
        let zero = [Float](repeating: 0, count: self.dimension)
        switch change {
        case .none:
            return self.clean.map { self.updates[$0] }
        case .leaveOut(let index):
            return self.clean.filter { $0 != index }.map { self.updates[$0] }
        case .zeroInPlace(let index):
            return self.clean.map { $0 == index ? zero : self.updates[$0] }
        case .add(let index), .addZero(let index):
            let added = change == .add(index) ? self.updates[index] : zero
            let before = self.clean.filter { $0 < index }.map { self.updates[$0] }
            let after = self.clean.filter { $0 > index }.map { self.updates[$0] }
            return before + [added] + after
        }
    }

    /// `min(1, median / norm)`: what clipping to the median norm multiplies an update by.
    private static func scale(norm: Double, median: Double) -> Double {
        norm > median ? median / norm : 1
    }

    /// The median norm of the changed set.
    private static func median(norms: [Double], clean: [Int], change: Change) -> Double {
        var members = clean.map { norms[$0] }
        switch change {
        case .none: break
        case .leaveOut(let index): members.remove(at: clean.firstIndex(of: index)!)
        case .zeroInPlace(let index): members[clean.firstIndex(of: index)!] = 0
        case .add(let index): members.append(norms[index])
        case .addZero: members.append(0)
        }
        return Federation.median(members)
    }
}
