// MultiKrum: Krum scores, selection and the mean of the selected updates.

/// Multi-Krum (Blanchard et al. 2017, "Machine Learning with Adversaries: Byzantine Tolerant Gradient Descent").
///
/// Each client's score is the sum of squared distances to its `n − f − 2` nearest other updates; the `m` clients
/// with the lowest scores are selected and their updates averaged (unweighted). `m = 1` is Krum. Requires
/// `n ≥ 2f + 3`.
///
/// **Determinism:** distances are summed in `Double` in coordinate order (no FMA); neighbour distances and scores are
/// sorted with ties broken by client index, so the *selection* is independent of client order. The average of the
/// selected updates is summed in `Double` in ascending client index, then rounded once: same input → same bits on
/// every CPU (a permutation of the clients may change the last bit of the average when `m > 1`).
///
/// - Complexity: O(n²·d + n² log n).
public enum MultiKrum {
    /// The indices of the selected clients, best score first.
    ///
    /// - Parameters:
    ///   - byzantine: `f`, the number of adversarial clients tolerated.
    ///   - selected: `m`, how many clients to keep.
    /// - Throws: `FederationError.krumParametersImpossible` unless `f ≥ 0`, `n ≥ 2f + 3` and `1 ≤ m ≤ n − f`.
    public static func selection(
        _ matrix: UpdateMatrix, byzantine: Int, selected: Int
    ) throws(FederationError) -> [Int] {
        let n = matrix.clientCount
        guard byzantine >= 0, n >= 2 * byzantine + 3, selected >= 1, selected <= n - byzantine else {
            throw .krumParametersImpossible(clients: n, byzantine: byzantine, selected: selected)
        }
        var distances = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for k in (i + 1)..<n {
                let distance = squaredDistance(matrix, i, k)
                distances[i * n + k] = distance
                distances[k * n + i] = distance
            }
        }
        let neighbours = n - byzantine - 2
        var scores: [(score: Double, client: Int)] = []
        scores.reserveCapacity(n)
        for i in 0..<n {
            var row: [(distance: Double, client: Int)] = []
            for k in 0..<n where k != i { row.append((distances[i * n + k], k)) }
            row.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.client < $1.client }
            var score = 0.0
            for t in 0..<neighbours { score = score + row[t].distance }
            scores.append((score, i))
        }
        scores.sort { $0.score != $1.score ? $0.score < $1.score : $0.client < $1.client }
        return scores.prefix(selected).map(\.client)
    }

    /// The unweighted mean of the `selected` best-scored updates.
    ///
    /// - Throws: as `selection(_:byzantine:selected:)`.
    public static func aggregate(
        _ matrix: UpdateMatrix, byzantine: Int, selected: Int
    ) throws(FederationError) -> [Float] {
        let chosen = try selection(matrix, byzantine: byzantine, selected: selected).sorted()
        let d = matrix.dimension
        var sum = [Double](repeating: 0, count: d)
        for i in chosen {
            for j in 0..<d { sum[j] = sum[j] + Double(matrix[i, j]) }
        }
        let count = Double(chosen.count)
        return sum.map { Float($0 / count) }
    }
}
