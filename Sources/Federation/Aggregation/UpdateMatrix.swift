// UpdateMatrix, ClientWeights and the deterministic helpers every aggregation rule shares; canonicalBytes.

/// A validated set of client updates: `clientCount` rows of `dimension` finite `Float`s, stored row-major.
///
/// Building one checks everything aggregation rules rely on: at least one update, equal lengths, and finite
/// values. Rules then work on the flat storage without further checks.
///
/// ```swift
/// let matrix = try UpdateMatrix([[1, 2], [3, 4]])
/// matrix[1, 0]  // 3
/// ```
public struct UpdateMatrix: Sendable, Hashable {
    /// Number of client updates (rows).
    public let clientCount: Int
    /// Length of every update (columns).
    public let dimension: Int
    /// All values, row-major: client `i`, coordinate `j` is at `i * dimension + j`.
    public let values: [Float]

    /// Validates and packs `updates`.
    ///
    /// - Parameter updates: one `[Float]` per client, all of the same length.
    /// - Throws: `FederationError.noUpdates`, `.dimensionMismatch`, `.nonFiniteValue` (first offending client and
    ///   coordinate, scanning clients in order).
    /// - Complexity: O(n·d).
    public init(_ updates: [[Float]]) throws(FederationError) {
        guard let first = updates.first else { throw .noUpdates }
        let dimension = first.count
        var values: [Float] = []
        values.reserveCapacity(updates.count * dimension)
        for (client, update) in updates.enumerated() {
            guard update.count == dimension else {
                throw .dimensionMismatch(client: client, expected: dimension, actual: update.count)
            }
            for (coordinate, value) in update.enumerated() where !value.isFinite {
                throw .nonFiniteValue(client: client, coordinate: coordinate)
            }
            values.append(contentsOf: update)
        }
        self.clientCount = updates.count
        self.dimension = dimension
        self.values = values
    }

    /// The value of client `client` at `coordinate`.
    public subscript(client: Int, coordinate: Int) -> Float {
        values[client * dimension + coordinate]
    }

    /// Client `client`'s update.
    public func row(_ client: Int) -> [Float] {
        Array(values[(client * dimension)..<((client + 1) * dimension)])
    }
}

/// Validated client weights, as `Double`s (every `UInt64` sample count converts with correctly rounded,
/// hence identical, results on every CPU).
public struct ClientWeights: Sendable, Hashable {
    /// One weight per client, in client order.
    public let values: [Double]
    /// Sum of `values`, accumulated in client order.
    public let total: Double

    /// Equal weights (1 each) for `clientCount` clients.
    public init(uniform clientCount: Int) {
        self.init(values: Array(repeating: 1, count: clientCount), total: Double(clientCount))
    }

    private init(values: [Double], total: Double) {
        self.values = values
        self.total = total
    }

    /// Validates sample counts against the number of clients.
    ///
    /// - Parameters:
    ///   - sampleCounts: one count per client, or `nil` for equal weights.
    ///   - clientCount: number of updates.
    /// - Throws: `FederationError.weightCountMismatch`, `.zeroTotalWeight`.
    public init(_ sampleCounts: [UInt64]?, clientCount: Int) throws(FederationError) {
        guard let sampleCounts else {
            self.init(uniform: clientCount)
            return
        }
        guard sampleCounts.count == clientCount else {
            throw .weightCountMismatch(updates: clientCount, weights: sampleCounts.count)
        }
        var total = 0.0
        var values: [Double] = []
        values.reserveCapacity(clientCount)
        for count in sampleCounts {
            let weight = Double(count)
            values.append(weight)
            total = total + weight
        }
        guard total > 0 else { throw .zeroTotalWeight }
        self.init(values: values, total: total)
    }
}

// MARK: - Deterministic helpers

/// Checks that `weights` has one entry per row of `matrix` (rules called directly, not through `aggregate`).
func checkWeights(_ weights: ClientWeights, for matrix: UpdateMatrix) throws(FederationError) {
    guard weights.values.count == matrix.clientCount else {
        throw .weightCountMismatch(updates: matrix.clientCount, weights: weights.values.count)
    }
    guard weights.total > 0 else { throw .zeroTotalWeight }
}

/// A key whose unsigned order is IEEE-754 `totalOrder` on finite floats (−0 sorts before +0), so sorting by
/// `(key, client index)` gives the same permutation of values on every machine and for every input order.
func totalOrderKey(_ value: Float) -> UInt32 {
    let bits = value.bitPattern
    return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
}

/// The inverse of `totalOrderKey`.
func valueFromTotalOrderKey(_ key: UInt32) -> Float {
    Float(bitPattern: key & 0x8000_0000 != 0 ? key & 0x7FFF_FFFF : ~key)
}

/// Squared Euclidean distance between rows `a` and `b`, accumulated in `Double` in coordinate order, no FMA.
func squaredDistance(_ matrix: UpdateMatrix, _ a: Int, _ b: Int) -> Double {
    var sum = 0.0
    let d = matrix.dimension
    let va = a * d
    let vb = b * d
    for j in 0..<d {
        let diff = Double(matrix.values[va + j]) - Double(matrix.values[vb + j])
        let square = diff * diff
        sum = sum + square
    }
    return sum
}

/// Euclidean norm of `vector`, summed in index order, no FMA; `squareRoot` is correctly rounded by IEEE-754.
func euclideanNorm(_ vector: [Double]) -> Double {
    var sum = 0.0
    for x in vector {
        let square = x * x
        sum = sum + square
    }
    return sum.squareRoot()
}

/// Euclidean norm of `vector` in `Double`, summed in index order, no FMA.
func euclideanNorm(_ vector: [Float]) -> Double {
    var sum = 0.0
    for value in vector {
        let square = Double(value) * Double(value)
        sum = sum + square
    }
    return sum.squareRoot()
}

/// Weighted mean of all rows in `Double`, clients in order; the result stays in `Double`.
func weightedMeanDouble(_ matrix: UpdateMatrix, weights: ClientWeights) -> [Double] {
    let d = matrix.dimension
    var sum = [Double](repeating: 0, count: d)
    for i in 0..<matrix.clientCount {
        let w = weights.values[i]
        let base = i * d
        for j in 0..<d {
            let product = w * Double(matrix.values[base + j])
            sum[j] = sum[j] + product
        }
    }
    for j in 0..<d { sum[j] = sum[j] / weights.total }
    return sum
}

/// Converts a `Double` vector to `Float` once, at the end of a rule (round to nearest even, identical everywhere).
func toFloat(_ vector: [Double]) -> [Float] {
    vector.map { Float($0) }
}

/// The little-endian IEEE-754 bit patterns of `vector`, 4 bytes per value: the bytes every node hashes and
/// attests for an aggregate.
///
/// Hashing itself belongs to `DeAICore`; call it on these bytes. Two vectors give equal bytes exactly when their
/// values have equal bit patterns (so `-0.0` and `+0.0` differ).
///
/// - Complexity: O(d).
public func canonicalBytes(_ vector: [Float]) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(vector.count * 4)
    for value in vector {
        let bits = value.bitPattern
        bytes.append(UInt8(truncatingIfNeeded: bits))
        bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
        bytes.append(UInt8(truncatingIfNeeded: bits >> 16))
        bytes.append(UInt8(truncatingIfNeeded: bits >> 24))
    }
    return bytes
}
