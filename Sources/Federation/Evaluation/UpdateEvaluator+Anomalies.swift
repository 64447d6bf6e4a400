// UpdateEvaluator+Anomalies: norm, duplicate and direction checks on a round's updates.

extension UpdateEvaluator {
    /// The anomalies of each update, in ``UpdateAnomaly/allCases`` order (see
    /// ``score(updates:rule:confidence:earlier:)``); `earlier` are vectors already revealed (the mean of the
    /// previous round's updates), against which a copy is ``UpdateAnomaly/stale``.
    /// - Complexity: O(n·d + d·n log n) (the coordinate median), plus O(n·d) per group of equal norms for copies and
    ///   O(n·e·d) for `e` earlier vectors.
    func anomalies(of updates: [[Float]], earlier: [[Float]] = []) -> [[UpdateAnomaly]] {
        var flags = [Set<UpdateAnomaly>](repeating: [], count: updates.count)
        var finite: [Int] = []
        for (index, update) in updates.enumerated() {
            if update.count != self.global.count {
                flags[index].insert(.wrongDimension)
            } else if !update.allSatisfy(\.isFinite) {
                flags[index].insert(.nonFinite)
            } else {
                finite.append(index)
            }
        }
        let norms = updates.map { $0.count == self.global.count ? euclideanNorm($0) : 0 }
        // Near-zero is judged against the median of all finite updates; too-large against the median of the rest,
        // so free riders sending zeros cannot drag the reference down.
        let nearZeroLimit = self.settings.nearZeroNormRatio * median(finite.map { norms[$0] })
        let active = finite.filter { norms[$0] > 0 && norms[$0] > nearZeroLimit }
        var isActive = [Bool](repeating: false, count: updates.count)
        for index in active { isActive[index] = true }
        let medianNorm = median(active.map { norms[$0] })
        var reference: [Int] = []
        for index in finite {
            let norm = norms[index]
            guard isActive[index] else {
                flags[index].insert(.nearZero)
                continue
            }
            if norm > self.settings.tooLargeNormRatio * medianNorm { flags[index].insert(.tooLarge) }
            // Equal vectors have equal norms, so only same-norm earlier updates need a full comparison.
            if reference.contains(where: { norms[$0] == norms[index] && updates[$0] == updates[index] }) {
                flags[index].insert(.duplicate)
                continue
            }
            reference.append(index)
        }
        let earlierNorms = earlier.map(euclideanNorm)
        for index in reference {
            let copied = zip(earlier, earlierNorms).contains { vector, norm in
                vector.count == updates[index].count && norm > 0
                    && dot(updates[index], vector) / (norms[index] * norm) > self.settings.staleCosine
            }
            if copied { flags[index].insert(.stale) }
        }
        if reference.count >= 3, let robust = try? aggregate(reference.map { updates[$0] }, rule: .median) {
            let robustNorm = euclideanNorm(robust)
            if robustNorm > 0 {
                for index in reference {
                    let cosine = dot(updates[index], robust) / (norms[index] * robustNorm)
                    if cosine < self.settings.opposedCosine { flags[index].insert(.opposedDirection) }
                }
            }
        }
        return flags.map { set in UpdateAnomaly.allCases.filter { set.contains($0) } }
    }
}

// MARK: - Helpers

/// The dot product, accumulated in `Double` in index order.
func dot(_ a: [Float], _ b: [Float]) -> Double {
    var sum = 0.0
    for index in a.indices { sum += Double(a[index]) * Double(b[index]) }
    return sum
}

/// The median (mean of the two middle values for an even count); 0 for no values.
public func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
