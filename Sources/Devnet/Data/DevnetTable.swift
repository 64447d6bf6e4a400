// DevnetTable: a CSV file of one's own as the devnet's data.

import Foundation
public import Learning

/// Any CSV table with a class column as the devnet's data (`deai devnet --data FILE --target COL`): its columns
/// read as `deai train` reads them (numbers, booleans, text categories one-hot encoded, missing cells imputed with
/// the training mean), split 75/25 stratified by class, and trained with a small MLP.
public struct DevnetTable: Sendable, Hashable, Codable {
    /// The CSV file.
    public var path: String
    /// The class column (default: the last column).
    public var target: String?

    /// A table source.
    public init(path: String, target: String? = nil) {
        self.path = path
        self.target = target
    }

    /// The built-in architecture trained on tables: an MLP with two hidden layers of 32, as on digits.
    public static let modelName = "mlp"
    /// Hidden units per layer of ``modelName``.
    public static let hiddenUnits = 32

    /// The training per round of centralized training: breast cancer's — 5 epochs of SGD at 0.02 with momentum
    /// 0.9, in batches of 32 (owners train in steps: ``DevnetOptions/ownerTraining()``).
    public static var localTraining: TrainingConfiguration { DevnetDataset.breastCancer.localTraining }

    /// Reads, checks, encodes and splits the table.
    /// - Throws: `LearningError` naming the file, line and column of what cannot be read;
    ///   ``DevnetDataError/invalidArgument(name:value:reason:)`` for a target that is not a class.
    public func load(splitSeed: UInt64 = DevnetDataset.splitSeed) throws -> DevnetData {
        let table = try CSVTable(contentsOf: self.path)
        let preparation = try TablePreparation(inferringFrom: table, options: .init(target: self.target))
        guard preparation.target.task == .classification else {
            throw DevnetDataError.invalidArgument(
                name: "target", value: preparation.target.name,
                reason: "holds real numbers, a regression; the devnet trains classifiers")
        }
        let encoded = try preparation.encode(table, mode: .training(missing: .impute))
        let all = try preparation.dataset(from: encoded)
        var generator = Xoshiro256(seed: splitSeed)
        let (train, test) = try all.stratifiedSplit(testFraction: DevnetDataset.testFraction, using: &generator)
        let classes = preparation.target.classes
        let spec = try ModelSpec.builtin(
            Self.modelName, features: preparation.inputWidth, classes: classes.count, hidden: Self.hiddenUnits)
        return try DevnetData(
            name: (self.path as NSString).lastPathComponent,
            summary: "\(table.name) — \(encoded.count) rows, \(preparation.features.count) columns "
                + "(\(preparation.inputWidth) inputs), target '\(preparation.target.name)': \(classes.joined(separator: "/"))",
            defaultModelSpec: spec, localTraining: Self.localTraining, classNames: classes, rawTrain: train,
            rawTest: test, missingCells: Self.missingCells(in: train, preparation: preparation))
    }

    /// The missing cells of each sample: a cell's inputs are `NaN` when it was missing.
    private static func missingCells(in data: Dataset, preparation: TablePreparation) -> [Int] {
        let width = preparation.inputWidth
        let offsets = preparation.features.reduce(into: [0]) { $0.append($0.last! + $1.width) }.dropLast()
        let scalars = data.features.scalars
        return (0..<data.count).map { row in offsets.filter { scalars[row * width + $0].isNaN }.count }
    }
}
