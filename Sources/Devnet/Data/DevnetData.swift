// DevnetData: one devnet data set, loaded, split and standardized.

public import Learning

/// A devnet data set ready for training: standardized train and test splits.
///
/// The standardizer is fitted on the training split only, so nothing about the test samples leaks into training.
/// The training split is the pool that ``DataPartition`` divides among data owners and evaluators; the test split
/// is held by nobody and measures the global model.
public struct DevnetData: Sendable {
    /// Which data set this is.
    public var dataset: DevnetDataset
    /// The standardized training split: the pool for owners and evaluators.
    public var train: Dataset
    /// The standardized test split.
    public var test: Dataset
    /// The per-feature statistics of the raw training split, as applied to both splits.
    public var standardizer: Standardizer

    /// Loaded data: standardizes `train` and `test` with statistics of the raw `train`.
    /// - Throws: ``Learning/LearningError/shapeMismatch(operation:expected:actual:)`` when the splits' feature
    ///   counts differ.
    public init(dataset: DevnetDataset, rawTrain: Dataset, rawTest: Dataset) throws {
        let standardizer = Standardizer(fitting: rawTrain)
        self.dataset = dataset
        self.standardizer = standardizer
        self.train = try standardizer.apply(to: rawTrain)
        self.test = try standardizer.apply(to: rawTest)
        let classCount = max(rawTrain.classCount, rawTest.classCount)
        self.train.classCount = classCount
        self.test.classCount = classCount
    }

    /// The number of classes.
    public var classCount: Int { self.train.classCount }

    /// The number of features of one sample.
    public var featureCount: Int { self.train.sampleShape.reduce(1, *) }
}
