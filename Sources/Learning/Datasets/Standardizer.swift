// Standardizer: per-feature standardization with training statistics.

/// Per-feature standardization, x' = (x − mean) / (std + 1e-8), with statistics computed on the training set
/// only (in Float64, population standard deviation, as `torch_train.py` does with NumPy).
///
/// **Missing inputs.** A `NaN` input is left out of the statistics and standardized to 0, the training mean: mean
/// imputation, for data read by ``TablePreparation``. Data without `NaN`s gets the same bits as if this rule did
/// not exist.
public struct Standardizer: Codable, Sendable, Equatable {
    /// The mean of each feature.
    public var mean: [Float]
    /// The standard deviation of each feature.
    public var deviation: [Float]

    /// Statistics of the features of `data` (flattened per sample), each over the samples where it is not `NaN`.
    /// - Complexity: O(n).
    public init(fitting data: Dataset) {
        let count = data.count
        let width = count == 0 ? 0 : data.features.scalarCount / count
        var sums = [Double](repeating: 0, count: width)
        var squares = [Double](repeating: 0, count: width)
        var present = [Double](repeating: 0, count: width)
        data.features.withUnsafeScalars { x in
            for row in 0..<count {
                for column in 0..<width where !x[row * width + column].isNaN {
                    sums[column] += Double(x[row * width + column])
                    present[column] += 1
                }
            }
            let means = zip(sums, present).map { $1 > 0 ? $0 / $1 : 0 }
            for row in 0..<count {
                for column in 0..<width where !x[row * width + column].isNaN {
                    let d = Double(x[row * width + column]) - means[column]
                    squares[column] += d * d
                }
            }
            sums = means
        }
        self.mean = sums.map { Float($0) }
        // A feature constant in the fitted data keeps its scale: dividing by ~0 would blow up any other value it
        // takes later (a digits pixel blank in training but inked in a test image).
        self.deviation = zip(squares, present).map { squares, present in
            let deviation = Float((squares / max(present, 1)).squareRoot())
            return deviation < 1e-6 ? 1 : deviation
        }
    }

    /// `data` with its features standardized.
    /// - Throws: ``LearningError/shapeMismatch(operation:expected:actual:)`` when the feature count differs.
    public func apply(to data: Dataset) throws -> Dataset {
        let width = self.mean.count
        guard self.deviation.count == width, data.count == 0 || data.features.scalarCount / data.count == width else {
            throw LearningError.shapeMismatch(operation: "Standardizer", expected: [width], actual: data.sampleShape)
        }
        var result = data
        result.features.withUnsafeMutableScalars { x in
            for index in 0..<x.count {
                let column = index % max(width, 1)
                guard !x[index].isNaN else {
                    x[index] = 0
                    continue
                }
                let scaled = (x[index] - self.mean[column]) / (self.deviation[column] + 1e-8)
                // Values near Float's limits overflow the subtraction: those few are computed in Double.
                x[index] = scaled.isFinite
                    ? scaled
                    : Float((Double(x[index]) - Double(self.mean[column])) / (Double(self.deviation[column]) + 1e-8))
            }
        }
        return result
    }
}
