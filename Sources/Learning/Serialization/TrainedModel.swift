// TrainedModel: a model with the data preparation it was trained with, saved as one safetensors file.

import Foundation

/// A trained model together with what prediction needs to prepare new data the same way: the feature columns,
/// the target column and the training set's standardization.
///
/// Saved as one safetensors file: the weights as tensors, the spec and the preparation as JSON in its metadata
/// (`deai.spec`, `deai.preparation`), so PyTorch's `safetensors.torch.load_file` reads the weights directly.
public struct TrainedModel: Sendable {
    /// How raw CSV rows become model inputs.
    public struct Preparation: Codable, Sendable, Equatable {
        /// The feature columns, in input order.
        public var featureColumns: [String]
        /// The target column.
        public var targetColumn: String
        /// Standardization fitted on the training set (nil when the inputs are used as they are).
        public var standardizer: Standardizer?

        /// A preparation.
        public init(featureColumns: [String], targetColumn: String, standardizer: Standardizer?) {
            self.featureColumns = featureColumns
            self.targetColumn = targetColumn
            self.standardizer = standardizer
        }
    }

    /// The model.
    public var model: Model
    /// The data preparation.
    public var preparation: Preparation

    /// A trained model with its preparation.
    public init(model: Model, preparation: Preparation) {
        self.model = model
        self.preparation = preparation
    }

    /// Writes the model as safetensors to `path`, and its spec as JSON to `path` with extension `.json`.
    /// - Throws: ``LearningError/io(path:reason:)``.
    public func save(to path: String) throws {
        let tensors = Dictionary(uniqueKeysWithValues: zip(self.model.parameterNames, self.model.parameters))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let spec = try encoder.encode(self.model.spec)
        let preparation = try encoder.encode(self.preparation)
        let data = try Safetensors.encode(Safetensors.File(tensors: tensors, metadata: [
            "format": "pt", "deai.spec": String(decoding: spec, as: UTF8.self),
            "deai.preparation": String(decoding: preparation, as: UTF8.self),
        ]))
        let specPath = ((path as NSString).deletingPathExtension as NSString).appendingPathExtension("json") ?? path + ".json"
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            try encoder.encode(self.model.spec).write(to: URL(fileURLWithPath: specPath), options: .atomic)
        } catch {
            throw LearningError.io(path: path, reason: error.localizedDescription)
        }
    }

    /// Reads a model written by ``save(to:)``.
    /// - Throws: ``LearningError`` when the file cannot be read or lacks its metadata.
    public static func load(from path: String) throws -> TrainedModel {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LearningError.io(path: path, reason: "cannot read")
        }
        let file = try Safetensors.decode(data)
        guard let specText = file.metadata["deai.spec"], let preparationText = file.metadata["deai.preparation"] else {
            throw LearningError.malformedWeights(reason: "\(path) lacks the 'deai.spec' and 'deai.preparation' metadata")
        }
        do {
            let spec = try JSONDecoder().decode(ModelSpec.self, from: Data(specText.utf8))
            let preparation = try JSONDecoder().decode(Preparation.self, from: Data(preparationText.utf8))
            var model = try Model(spec: spec, seed: 0)
            try model.loadWeights(from: file)
            return TrainedModel(model: model, preparation: preparation)
        } catch let error as LearningError {
            throw error
        } catch {
            throw LearningError.malformedWeights(reason: "\(path): \(error)")
        }
    }

    /// The model inputs for the rows of `table`, prepared as at training (columns picked by name, standardized).
    /// Returns the data set, with labels when the table has the target column (0 otherwise).
    /// - Throws: ``LearningError/unknownColumn(name:available:)`` when a feature column is missing.
    public func dataset(from table: CSVTable) throws -> Dataset {
        let indices = try self.preparation.featureColumns.map { name in
            guard let index = table.columns.firstIndex(of: name) else {
                throw LearningError.unknownColumn(name: name, available: table.columns)
            }
            return index
        }
        let scalars = table.rows.flatMap { row in indices.map { Float(row[$0]) } }
        let features = try Tensor(shape: [table.rows.count, indices.count], scalars: scalars)
        var data: Dataset
        if let target = table.columns.firstIndex(of: self.preparation.targetColumn) {
            let values = table.rows.map { $0[target] }
            if self.model.spec.loss == .meanSquaredError || !values.allSatisfy({ $0 >= 0 && $0 == $0.rounded() }) {
                data = try Dataset(features: features, targets: values.map { Float($0) })
            } else {
                data = try Dataset(features: features, labels: values.map { Int($0) })
            }
        } else {
            data = try Dataset(features: features, targets: [Float](repeating: 0, count: table.rows.count))
        }
        if let standardizer = self.preparation.standardizer { data = try standardizer.apply(to: data) }
        return try data.reshaped(sampleShape: self.model.spec.inputShape)
    }
}

extension Dataset {
    /// The same data set with each sample reshaped (same scalar count), e.g. `[40]` → `[1, 40]`.
    /// - Throws: ``LearningError/scalarCountMismatch(shape:count:)``.
    public func reshaped(sampleShape: [Int]) throws -> Dataset {
        var result = self
        result.features = try self.features.reshaped([self.count] + sampleShape)
        return result
    }
}
