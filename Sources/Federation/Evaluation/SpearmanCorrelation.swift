// SpearmanCorrelation: rank correlation with average ranks for ties.

/// Spearman's rank correlation of `a` and `b`: the Pearson correlation of their ranks, ties getting the average of
/// the ranks they span.
///
/// ```swift
/// spearmanCorrelation([1, 2, 3], [10, 20, 15])  // 0.5
/// ```
///
/// - Precondition: `a` and `b` have the same length.
/// - Returns: a value in −1…1; 0 when there are fewer than two values or either input is constant (the correlation
///   is undefined there).
/// - Complexity: O(n log n).
public func spearmanCorrelation(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "spearmanCorrelation needs equal lengths, got \(a.count) and \(b.count)")
    guard a.count >= 2 else { return 0 }
    let ra = averageRanks(a)
    let rb = averageRanks(b)
    let n = Double(a.count)
    let meanA = ra.reduce(0, +) / n
    let meanB = rb.reduce(0, +) / n
    var covariance = 0.0
    var varianceA = 0.0
    var varianceB = 0.0
    for index in ra.indices {
        let da = ra[index] - meanA
        let db = rb[index] - meanB
        covariance += da * db
        varianceA += da * da
        varianceB += db * db
    }
    guard varianceA > 0, varianceB > 0 else { return 0 }
    return covariance / (varianceA * varianceB).squareRoot()
}

/// Ranks from 1, tied values sharing the mean of their ranks. NaN sorts last (ties with other NaN).
func averageRanks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { lhs, rhs in
        let (x, y) = (values[lhs], values[rhs])
        if x.isNaN != y.isNaN { return y.isNaN }
        if x != y, !x.isNaN { return x < y }
        return lhs < rhs
    }
    var ranks = [Double](repeating: 0, count: values.count)
    var start = 0
    while start < order.count {
        var end = start
        func tied(_ i: Int, _ j: Int) -> Bool {
            let (x, y) = (values[order[i]], values[order[j]])
            return x == y || (x.isNaN && y.isNaN)
        }
        while end + 1 < order.count, tied(start, end + 1) { end += 1 }
        let rank = Double(start + end) / 2 + 1
        for position in start...end { ranks[order[position]] = rank }
        start = end + 1
    }
    return ranks
}
