// TrainedModel: a model with the data preparation it was trained with, saved as one safetensors file.

import Foundation

/// A trained model together with what prediction needs to prepare new data the same way: the feature columns and
/// their encodings, the target with its class names or scale, and the training set's standardization.
///
/// Saved as one safetensors file: the weights as tensors, the spec and the preparation as JSON in its metadata
/// (`deai.spec`, `deai.preparation`), so PyTorch's `safetensors.torch.load_file` reads the weights directly. A
/// model trained elsewhere (PyTorch) is read with a description file giving both (``Description``).
public struct TrainedModel: Sendable {
    /// A model's architecture and data preparation as one JSON document, `{"model": …, "preparation": …}`: what a
    /// safetensors file written elsewhere lacks.
    public struct Description: Codable, Sendable, Equatable {
        /// The architecture.
        public var model: ModelSpec
        /// The data preparation.
        public var preparation: TablePreparation

        /// A description.
        public init(model: ModelSpec, preparation: TablePreparation) {
            self.model = model
            self.preparation = preparation
        }
    }

    /// The model.
    public var model: Model
    /// The data preparation.
    public var preparation: TablePreparation

    /// A trained model with its preparation.
    public init(model: Model, preparation: TablePreparation) {
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

    /// Reads a model written by ``save(to:)``, or any safetensors file when `description` gives its architecture
    /// and preparation.
    /// - Throws: ``LearningError`` when a file cannot be read, lacks its metadata, or does not fit the spec.
    public static func load(from path: String, description: Description? = nil) throws -> TrainedModel {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LearningError.io(path: path, reason: "cannot read")
        }
        let file = try Safetensors.decode(data)
        do {
            let (spec, preparation): (ModelSpec, TablePreparation)
            if let description {
                (spec, preparation) = (description.model, description.preparation)
            } else {
                guard let specText = file.metadata["deai.spec"], let preparationText = file.metadata["deai.preparation"]
                else {
                    throw LearningError.malformedWeights(reason: "\(path) lacks the 'deai.spec' and 'deai.preparation' "
                        + "metadata of a model written by deai train; give its architecture and preparation with --spec")
                }
                spec = try JSONDecoder().decode(ModelSpec.self, from: Data(specText.utf8))
                preparation = try Self.preparation(Data(preparationText.utf8), spec: spec)
            }
            try preparation.validate()
            var model = try Model(spec: spec, seed: 0)
            try model.loadWeights(from: file)
            guard model.hasFiniteParameters else {
                throw LearningError.malformedWeights(reason: "\(path): weights that are not finite (NaN or infinite)")
            }
            guard preparation.inputWidth == spec.inputShape.reduce(1, *) else {
                throw LearningError.malformedWeights(reason: "\(path): the preparation makes \(preparation.inputWidth) "
                    + "inputs, the model takes \(spec.inputShape)")
            }
            return TrainedModel(model: model, preparation: preparation)
        } catch let error as LearningError {
            throw error
        } catch {
            throw LearningError.malformedWeights(reason: "\(path): \(error)")
        }
    }

    /// The preparation of `json`, or of the numeric-only format models were saved in before text columns (its
    /// columns all numbers; classes named by their index).
    private static func preparation(_ json: Data, spec: ModelSpec) throws -> TablePreparation {
        let keys = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any]
        guard keys?["featureColumns"] != nil else { return try JSONDecoder().decode(TablePreparation.self, from: json) }
        struct NumericOnly: Decodable {
            var featureColumns: [String]
            var targetColumn: String
            var standardizer: Standardizer?
        }
        let old = try JSONDecoder().decode(NumericOnly.self, from: json)
        let target: TargetColumn
        if spec.loss == .meanSquaredError {
            target = TargetColumn(name: old.targetColumn, task: .regression)
        } else {
            let outputs = try spec.makeNetwork().shapes(inputShape: spec.inputShape).last?.reduce(1, *) ?? 1
            let classes = spec.loss == .binaryCrossEntropy ? 2 : outputs
            target = TargetColumn(name: old.targetColumn, task: .classification, classes: (0..<classes).map(String.init))
        }
        return TablePreparation(features: old.featureColumns.map { FeatureColumn(name: $0, kind: .numeric) },
                                target: target, standardizer: old.standardizer)
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
