// Dataset: samples with labels or real targets, subsets, stratified splits and seeded mini-batches.

/// Samples and their targets: `features` is `[count] + sampleShape`; classification data sets have integer
/// `labels` (and `targets` holds them as floats), regression data sets only real `targets`.
public struct Dataset: Sendable {
    /// The samples, first axis = sample.
    public var features: Tensor
    /// Class labels in `0..<classCount` (empty for regression).
    public var labels: [Int]
    /// The real-valued targets (the labels as floats for classification).
    public var targets: [Float]
    /// The number of classes (0 for regression).
    public var classCount: Int

    /// A classification data set.
    /// - Throws: ``LearningError/shapeMismatch(operation:expected:actual:)`` when counts differ.
    public init(features: Tensor, labels: [Int], classCount: Int? = nil) throws {
        guard features.rank >= 1, features.shape[0] == labels.count else {
            throw LearningError.shapeMismatch(operation: "Dataset", expected: [labels.count], actual: features.shape)
        }
        guard labels.allSatisfy({ $0 >= 0 }) else {
            throw LearningError.invalidArgument(operation: "Dataset", reason: "labels must be non-negative integers")
        }
        self.features = features
        self.labels = labels
        self.targets = labels.map(Float.init)
        self.classCount = classCount ?? ((labels.max() ?? -1) + 1)
    }

    /// A regression data set.
    /// - Throws: ``LearningError/shapeMismatch(operation:expected:actual:)`` when counts differ.
    public init(features: Tensor, targets: [Float]) throws {
        guard features.rank >= 1, features.shape[0] == targets.count else {
            throw LearningError.shapeMismatch(operation: "Dataset", expected: [targets.count], actual: features.shape)
        }
        self.features = features
        self.labels = []
        self.targets = targets
        self.classCount = 0
    }

    /// The number of samples.
    public var count: Int { self.targets.count }

    /// The shape of one sample.
    public var sampleShape: [Int] { Array(self.features.shape.dropFirst()) }

    /// Whether the data set has class labels.
    public var isClassification: Bool { !self.labels.isEmpty || self.classCount > 0 }

    /// The samples at `indices`, in that order.
    /// - Throws: ``LearningError/invalidArgument(operation:reason:)`` for an index out of range.
    /// - Complexity: O(indices.count × sample size).
    public func subset(_ indices: [Int]) throws -> Dataset {
        var result = self
        result.features = try self.features.gatherRows(indices)
        result.targets = indices.map { self.targets[$0] }
        if !self.labels.isEmpty { result.labels = indices.map { self.labels[$0] } }
        return result
    }

    /// A split into training and test sets keeping each class's proportion (or a plain shuffled split for
    /// regression): each class's indices are shuffled with `generator` and ⌊fraction·n + ½⌋ of them go to test.
    /// - Throws: ``LearningError/invalidArgument(operation:reason:)`` for a fraction outside (0, 1).
    public func stratifiedSplit(testFraction: Double, using generator: inout some RandomNumberGenerator) throws
        -> (train: Dataset, test: Dataset)
    {
        guard testFraction > 0, testFraction < 1 else {
            throw LearningError.invalidArgument(operation: "stratifiedSplit", reason: "fraction \(testFraction) outside (0, 1)")
        }
        let groups: [[Int]] = self.labels.isEmpty
            ? [Array(0..<self.count)]
            : (0..<self.classCount).map { label in self.labels.indices.filter { self.labels[$0] == label } }
        var train: [Int] = []
        var test: [Int] = []
        for group in groups {
            let order = generator.permutation(group.count).map { group[$0] }
            let testCount = Int((testFraction * Double(group.count)).rounded())
            test += order.prefix(testCount)
            train += order.dropFirst(testCount)
        }
        return (try self.subset(train.sorted()), try self.subset(test.sorted()))
    }

    /// The sample indices of each mini-batch of one epoch: a permutation drawn from `generator`, cut into batches
    /// of `size` (the last one may be smaller).
    public func batches(size: Int, using generator: inout some RandomNumberGenerator) -> [ArraySlice<Int>] {
        let order = generator.permutation(self.count)
        let size = max(size, 1)
        return stride(from: 0, to: order.count, by: size).map { order[$0..<min($0 + size, order.count)] }
    }
}
