// Model+Safetensors: saving and loading a model's weights (and spec) as safetensors.

public import Foundation

extension Model {
    /// The model's weights as safetensors, named as PyTorch names a `Sequential` (`0.weight`, …), with the JSON
    /// spec in the metadata under `deai.spec`.
    public func safetensorsData() throws -> Data {
        let tensors = Dictionary(uniqueKeysWithValues: zip(self.parameterNames, self.parameters))
        let spec = String(decoding: try JSONEncoder().encode(self.spec), as: UTF8.self)
        return try Safetensors.encode(Safetensors.File(tensors: tensors, metadata: ["deai.spec": spec, "format": "pt"]))
    }

    /// Replaces this model's weights with those of a safetensors file.
    ///
    /// Tensors are matched by name when every name of the model is in the file; otherwise (a PyTorch model whose
    /// modules are nested differently, e.g. `1.0.weight`) they are matched in order: the file's names sorted with
    /// numeric components compared as numbers, which is PyTorch's registration order for `Sequential` models.
    /// Shapes must match either way.
    /// - Throws: ``LearningError/weightMismatch(name:expected:actual:)`` or ``LearningError/malformedWeights(reason:)``.
    public mutating func loadWeights(from file: Safetensors.File) throws {
        let names = self.parameterNames
        let byName = names.allSatisfy { file.tensors[$0] != nil }
        let ordered = file.tensors.keys.sorted(by: naturalOrder)
        guard byName || ordered.count == names.count else {
            throw LearningError.malformedWeights(reason: "the file has \(ordered.count) tensors, the model \(names.count) parameters")
        }
        var loaded: [Tensor] = []
        for (index, name) in names.enumerated() {
            let sourceName = byName ? name : ordered[index]
            guard let tensor = file.tensors[sourceName] else {
                throw LearningError.weightMismatch(name: name, expected: self.parameters[index].shape, actual: nil)
            }
            guard tensor.shape == self.parameters[index].shape else {
                throw LearningError.weightMismatch(name: sourceName, expected: self.parameters[index].shape,
                                                   actual: tensor.shape)
            }
            loaded.append(tensor)
        }
        self.parameters = loaded
    }

    /// Writes the weights to `path` as safetensors.
    /// - Throws: ``LearningError/io(path:reason:)``.
    public func saveWeights(to path: String) throws {
        do {
            try self.safetensorsData().write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch let error as LearningError {
            throw error
        } catch {
            throw LearningError.io(path: path, reason: error.localizedDescription)
        }
    }

    /// Loads a model from a safetensors file written by ``saveWeights(to:)`` (the spec is in its metadata), or
    /// from any safetensors file when `spec` is given.
    /// - Throws: ``LearningError`` when the file cannot be read, has no spec, or does not fit the spec.
    public static func load(from path: String, spec: ModelSpec? = nil) throws -> Model {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LearningError.io(path: path, reason: "cannot read")
        }
        let file = try Safetensors.decode(data)
        let resolved: ModelSpec
        if let spec {
            resolved = spec
        } else if let text = file.metadata["deai.spec"] {
            do {
                resolved = try JSONDecoder().decode(ModelSpec.self, from: Data(text.utf8))
            } catch {
                throw LearningError.invalidModelSpec(reason: "metadata 'deai.spec' of \(path): \(error)")
            }
        } else {
            throw LearningError.invalidModelSpec(reason: "\(path) has no 'deai.spec' metadata; pass a spec")
        }
        var model = try Model(spec: resolved, seed: 0)
        try model.loadWeights(from: file)
        return model
    }
}

/// Orders names like `1.2.weight` < `1.10.weight`: dot-separated parts, numbers compared as numbers, and within one
/// module `weight` before `bias` before anything else (PyTorch's registration order for its built-in layers).
private func naturalOrder(_ lhs: String, _ rhs: String) -> Bool {
    let left = lhs.split(separator: ".")
    let right = rhs.split(separator: ".")
    for (a, b) in zip(left, right) where a != b {
        if let x = Int(a), let y = Int(b) { return x < y }
        let rank = { (part: Substring) in part == "weight" ? 0 : part == "bias" ? 1 : 2 }
        if rank(a) != rank(b) { return rank(a) < rank(b) }
        return a < b
    }
    return left.count < right.count
}
