// TrimmedMean: the coordinate-wise trimmed mean of client updates.

/// Coordinate-wise trimmed mean (Yin et al. 2018): for each coordinate, drop the `trim` smallest and `trim` largest
/// values and average the rest.
///
/// Weights are ignored. With at most `trim` adversarial clients, each coordinate stays within the honest values'
/// range.
///
/// **Determinism:** each column is sorted by IEEE-754 total order (ties by client index) and the kept values are
/// summed in `Double` in sorted order, then divided and rounded once; the result's bits therefore do not depend on
/// the client order or the CPU.
///
/// - Complexity: O(d · n log n).
public enum TrimmedMean {
    /// The trimmed mean of `matrix`'s rows.
    ///
    /// - Throws: `FederationError.trimTooLarge` unless `0 <= trim` and `2 * trim < clientCount`.
    public static func aggregate(_ matrix: UpdateMatrix, trim: Int) throws(FederationError) -> [Float] {
        let n = matrix.clientCount
        guard trim >= 0, trim <= (n - 1) / 2 else { throw .trimTooLarge(trim: trim, clients: n) }
        let kept = Double(n - 2 * trim)
        var result = [Float](repeating: 0, count: matrix.dimension)
        var column: [Float] = []
        var scratch: [UInt64] = []
        column.reserveCapacity(n)
        scratch.reserveCapacity(n)
        for j in 0..<matrix.dimension {
            sortColumn(matrix, coordinate: j, into: &column, scratch: &scratch)
            var sum = 0.0
            for k in trim..<(n - trim) { sum = sum + Double(column[k]) }
            result[j] = Float(sum / kept)
        }
        return result
    }
}
