// DevnetDataset: the real data sets the devnet can train on, with the model and training settings for each.

public import Learning

/// A data set that ships with the devnet, in `Resources/Datasets` (sources and licences in `SOURCES.md` there).
///
/// Each case knows its files, a one-line summary for people, the model the devnet trains on it and the local
/// training settings that reach a good accuracy in a few rounds on a 2-core machine:
///
/// ```swift
/// let data = try DevnetDataset.digits.load()
/// var model = try Model(spec: try DevnetDataset.digits.defaultModelSpec(), seed: 0)
/// try model.train(on: data.train, configuration: DevnetDataset.digits.localTraining)
/// ```
public enum DevnetDataset: String, CaseIterable, Codable, Sendable {
    /// Wisconsin Diagnostic Breast Cancer: 569 tumours, 30 features, benign or malignant.
    case breastCancer = "breast_cancer"
    /// UCI handwritten digits: 1,797 images of 8×8 pixels, digits 0–9.
    case digits
    /// MNIST-1D: 5,000 one-dimensional signals of 40 points, digits 0–9 (its own train and test files).
    case mnist1d

    /// The resource file names: one file split into train and test, or a train file then a test file.
    public var files: [String] {
        switch self {
        case .breastCancer: ["breast_cancer.csv"]
        case .digits: ["digits.csv"]
        case .mnist1d: ["mnist1d_train.csv", "mnist1d_test.csv"]
        }
    }

    /// A one-line description for people, e.g. in the devnet's output.
    public var summary: String {
        switch self {
        case .breastCancer: "Breast cancer Wisconsin — 569 tumours, 30 features, benign/malignant"
        case .digits: "Handwritten digits — 1,797 images of 8×8 pixels, 64 features, digits 0–9"
        case .mnist1d: "MNIST-1D — 4,000 train + 1,000 test signals, 40 features, digits 0–9"
        }
    }

    /// The number of features of one sample.
    public var featureCount: Int {
        switch self {
        case .breastCancer: 30
        case .digits: 64
        case .mnist1d: 40
        }
    }

    /// The number of classes.
    public var classCount: Int {
        switch self {
        case .breastCancer: 2
        case .digits, .mnist1d: 10
        }
    }

    /// The built-in architecture the devnet trains, a name for
    /// ``Learning/ModelSpec/builtin(_:features:classes:hidden:)``: logistic regression for breast cancer (62
    /// parameters, 97% test accuracy), an MLP with two hidden layers of 32 for digits (3,466 parameters, 98%) and
    /// the small CNN for MNIST-1D (5,210 parameters, 93%; an MLP of 256-256 stays near 65% there, which is why
    /// MNIST-1D is the data set that needs convolutions).
    public var modelName: String {
        switch self {
        case .breastCancer: "logreg"
        case .digits: "mlp"
        case .mnist1d: "cnn1d"
        }
    }

    /// Hidden units per layer of the `mlp` architecture (unused by the others).
    public var hiddenUnits: Int {
        switch self {
        case .breastCancer, .mnist1d: 0
        case .digits: 32
        }
    }

    /// The model the devnet trains on this data set.
    /// - Throws: ``Learning/LearningError`` only if the built-in architecture changed incompatibly.
    public func defaultModelSpec() throws -> ModelSpec {
        try ModelSpec.builtin(self.modelName, features: self.featureCount, classes: self.classCount,
                              hidden: max(self.hiddenUnits, 1))
    }

    /// The training a data owner runs in one round, and the centralized baseline runs per round: 5 local epochs of
    /// SGD (learning rate 0.02, momentum 0.9) in mini-batches of 32, for every data set.
    ///
    /// Measured with 4 owners (IID shares 1 : 2 : 3 : 4) and FedAvg: breast cancer reaches 98% test accuracy in 3
    /// rounds, digits 98% in 5 (94% non-IID in 10), MNIST-1D 90% in 17 (non-IID stays below 50%: two or three labels
    /// per owner is hard for it). Training is cheap here, a fraction of a second per round on 2 cores, so a round's
    /// time is the ledger's, not the model's. A larger rate (0.05) converges faster federated but makes the
    /// centralized MNIST-1D curve swing by several points between rounds. The seed is a placeholder that callers
    /// replace per owner and round.
    public var localTraining: TrainingConfiguration {
        TrainingConfiguration(epochs: 5, batchSize: 32, optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.02))
    }
}
