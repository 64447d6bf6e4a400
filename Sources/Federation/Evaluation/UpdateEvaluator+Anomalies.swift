// UpdateEvaluator+Anomalies: norm, duplicate and direction checks on a round's updates.

extension UpdateEvaluator {
    /// The anomalies of each update, in ``UpdateAnomaly/allCases`` order (see ``score(updates:sampleCounts:)``).
    /// - Complexity: O(n·d + d·n log n) (the coordinate median), plus O(n·d) per group of equal norms for copies.
    func anomalies(of updates: [[Float]]) -> [[UpdateAnomaly]] {
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
        let norms = updates.map { $0.count == self.global.count ? l2Norm($0) : 0 }
        let medianNorm = median(finite.map { norms[$0] })
        var reference: [Int] = []
        for index in finite {
            let norm = norms[index]
            if norm == 0 || norm <= self.settings.nearZeroNormRatio * medianNorm {
                flags[index].insert(.nearZero)
                continue
            }
            if medianNorm > 0, norm > self.settings.tooLargeNormRatio * medianNorm { flags[index].insert(.tooLarge) }
            // Equal vectors have equal norms, so only same-norm earlier updates need a full comparison.
            if reference.contains(where: { norms[$0] == norm && updates[$0] == updates[index] }) {
                flags[index].insert(.duplicate)
                continue
            }
            reference.append(index)
        }
        if reference.count >= 3, let robust = try? aggregate(reference.map { updates[$0] }, rule: .median) {
            let robustNorm = l2Norm(robust)
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

/// The Euclidean norm, accumulated in `Double` in index order.
func l2Norm(_ vector: [Float]) -> Double {
    var sum = 0.0
    for value in vector { sum += Double(value) * Double(value) }
    return sum.squareRoot()
}

/// The dot product, accumulated in `Double` in index order.
func dot(_ a: [Float], _ b: [Float]) -> Double {
    var sum = 0.0
    for index in a.indices { sum += Double(a[index]) * Double(b[index]) }
    return sum
}

/// The median (mean of the two middle values for an even count); 0 for no values.
func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
