// CoordinateMedian: the coordinate-wise median of client updates.

/// Coordinate-wise median (Yin et al. 2018): each coordinate is the median of the clients' values there.
///
/// For an even number of clients, the mean of the two middle values, computed in `Double` (exactly) and rounded
/// once. Weights are ignored. Robust while fewer than half the clients are adversarial: each coordinate then stays
/// within the honest values' range.
///
/// **Determinism:** each column is sorted by IEEE-754 total order, ties broken by client index, so the selected
/// values — and the result's bits — do not depend on the client order or the CPU.
///
/// - Complexity: O(d · n log n).
public enum CoordinateMedian {
    /// The coordinate-wise median of `matrix`'s rows.
    public static func aggregate(_ matrix: UpdateMatrix) -> [Float] {
        let n = matrix.clientCount
        var result = [Float](repeating: 0, count: matrix.dimension)
        var column: [Float] = []
        var scratch: [UInt64] = []
        column.reserveCapacity(n)
        scratch.reserveCapacity(n)
        for j in 0..<matrix.dimension {
            sortColumn(matrix, coordinate: j, into: &column, scratch: &scratch)
            if n % 2 == 1 {
                result[j] = column[n / 2]
            } else {
                let sum = Double(column[n / 2 - 1]) + Double(column[n / 2])
                result[j] = Float(sum / 2)
            }
        }
        return result
    }
}

/// Column `coordinate` of `matrix`, sorted by IEEE-754 total order with ties broken by client index, written into
/// `column` (reused across calls to avoid an allocation per coordinate). `scratch` is reused too.
///
/// Each entry is sorted as one `UInt64`: the value's total-order key in the high half, the client index in the low
/// half, so the order is total and the same on every machine and for every client order.
func sortColumn(_ matrix: UpdateMatrix, coordinate: Int, into column: inout [Float], scratch: inout [UInt64]) {
    let n = matrix.clientCount
    scratch.removeAll(keepingCapacity: true)
    for i in 0..<n {
        scratch.append(UInt64(totalOrderKey(matrix[i, coordinate])) << 32 | UInt64(UInt32(truncatingIfNeeded: i)))
    }
    scratch.sort()
    column.removeAll(keepingCapacity: true)
    for entry in scratch {
        column.append(valueFromTotalOrderKey(UInt32(truncatingIfNeeded: entry >> 32)))
    }
}
