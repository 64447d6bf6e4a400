// DevnetData: one devnet data set, loaded, split and standardized.

public import Learning

/// A devnet data set ready for training: standardized train and test splits.
///
/// The standardizer is fitted on the training split only, so nothing about the test samples leaks into training.
/// The training split is the pool that ``DataPartition`` divides among data owners and evaluators; the test split
/// is held by nobody and measures the global model.
public struct DevnetData: Sendable {
    /// A short name: the built-in data set's (`digits`) or the CSV file's.
    public var name: String
    /// A one-line description for people.
    public var summary: String
    /// The model the devnet trains on it unless told otherwise.
    public var defaultModelSpec: ModelSpec
    /// The training that centralized training runs per round (and owners, for data sets that train in epochs).
    public var localTraining: TrainingConfiguration
    /// The class names, class `i` being `classNames[i]`.
    public var classNames: [String]
    /// The standardized training split: the pool for owners and evaluators.
    public var train: Dataset
    /// The standardized test split.
    public var test: Dataset
    /// The per-feature statistics of the raw training split, as applied to both splits.
    public var standardizer: Standardizer
    /// The cells missing (and imputed) in each sample of ``train``; zeros for the built-in data sets.
    public var missingCells: [Int]

    /// Loaded built-in data: standardizes `train` and `test` with statistics of the raw `train`.
    /// - Throws: ``Learning/LearningError/shapeMismatch(operation:expected:actual:)`` when the splits' feature
    ///   counts differ.
    public init(dataset: DevnetDataset, rawTrain: Dataset, rawTest: Dataset) throws {
        try self.init(
            name: dataset.rawValue, summary: dataset.summary, defaultModelSpec: try dataset.defaultModelSpec(),
            localTraining: dataset.localTraining, classNames: (0..<dataset.classCount).map(String.init),
            rawTrain: rawTrain, rawTest: rawTest, missingCells: [Int](repeating: 0, count: rawTrain.count))
    }

    /// Loaded data: standardizes `train` and `test` with statistics of the raw `train` (which imputes its `NaN`
    /// inputs with the training mean).
    init(name: String, summary: String, defaultModelSpec: ModelSpec, localTraining: TrainingConfiguration,
         classNames: [String], rawTrain: Dataset, rawTest: Dataset, missingCells: [Int]) throws {
        let standardizer = Standardizer(fitting: rawTrain)
        self.name = name
        self.summary = summary
        self.defaultModelSpec = defaultModelSpec
        self.localTraining = localTraining
        self.classNames = classNames
        self.standardizer = standardizer
        self.missingCells = missingCells
        self.train = try standardizer.apply(to: rawTrain)
        self.test = try standardizer.apply(to: rawTest)
        let classCount = max(rawTrain.classCount, rawTest.classCount, classNames.count)
        self.train.classCount = classCount
        self.test.classCount = classCount
    }

    /// The number of classes.
    public var classCount: Int { self.train.classCount }

    /// The number of features of one sample.
    public var featureCount: Int { self.train.sampleShape.reduce(1, *) }
}
