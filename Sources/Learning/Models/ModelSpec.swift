// ModelSpec: the JSON description of a model that every node builds identically.

/// A model described as data: the input shape, the layers and the loss. Encoded as small JSON, so a training
/// task on the chain can name its architecture and every node builds the same model:
///
/// ```json
/// {"inputShape": [64], "loss": "crossEntropy",
///  "layers": [{"type": "dense", "units": 128}, {"type": "relu"}, {"type": "dense", "units": 10}]}
/// ```
public struct ModelSpec: Codable, Sendable, Equatable {
    /// The loss a model is trained with.
    public enum Loss: String, Codable, Sendable {
        /// Softmax cross-entropy against integer class labels.
        case crossEntropy
        /// Sigmoid binary cross-entropy against 0/1 labels (one output).
        case binaryCrossEntropy
        /// Mean squared error against real targets (regression).
        case meanSquaredError
    }

    /// The shape of one sample (no batch axis), e.g. `[64]` or `[1, 28, 28]`.
    public var inputShape: [Int]
    /// The layers, in order.
    public var layers: [LayerSpec]
    /// The training loss.
    public var loss: Loss

    /// A model specification.
    public init(inputShape: [Int], layers: [LayerSpec], loss: Loss = .crossEntropy) {
        self.inputShape = inputShape
        self.layers = layers
        self.loss = loss
    }

    /// Decodes a spec from JSON, refusing an input shape that is empty, not positive or beyond ``sizeLimit``
    /// values (so that no later product of it can overflow).
    /// - Throws: `DecodingError`, or ``LearningError/invalidModelSpec(reason:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.inputShape = try container.decode([Int].self, forKey: .inputShape)
        self.layers = try container.decode([LayerSpec].self, forKey: .layers)
        self.loss = try container.decodeIfPresent(Loss.self, forKey: .loss) ?? .crossEntropy
        try Self.checkInputShape(self.inputShape)
    }

    private enum CodingKeys: String, CodingKey {
        case inputShape, layers, loss
    }

    /// The network this specification describes.
    ///
    /// Every size is checked before anything is allocated, with checked arithmetic: the input, each layer's output
    /// per sample and the parameters together stay within ``sizeLimit`` values, and each layer's numbers within it.
    /// - Throws: ``LearningError/invalidModelSpec(reason:)`` or a shape error when the layers do not fit.
    public func makeNetwork() throws -> Sequential {
        try Self.checkInputShape(self.inputShape)
        let layers = try self.layers.map { try $0.makeLayer() }
        let limit = Self.sizeLimit
        var shape = self.inputShape
        for (index, layer) in layers.enumerated() {
            shape = try layer.outputShape(inputShape: shape)
            guard let count = Self.scalarCount(of: [shape]), count <= limit else {
                throw LearningError.invalidModelSpec(reason: "layer \(index) would output more than \(limit) values per sample")
            }
        }
        let network = Sequential(layers)
        let parameters = try network.parameterShapes(inputShape: self.inputShape)
        guard let total = Self.scalarCount(of: parameters, summing: true), total <= limit else {
            throw LearningError.invalidModelSpec(reason: "the model would have more than \(limit) parameters")
        }
        return network
    }

    /// The most parameters a model may have, the most values its input or one layer's output may hold per sample,
    /// and the largest number a layer may name: 2²⁸ (1 GiB of 32-bit floats), checked before anything is allocated.
    public static let sizeLimit = 1 << 28

    /// Refuses an input shape that is empty, not positive, or beyond ``sizeLimit`` values.
    private static func checkInputShape(_ shape: [Int]) throws {
        guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else {
            throw LearningError.invalidModelSpec(reason: "input shape \(shape) must be non-empty and positive")
        }
        guard let count = Self.scalarCount(of: [shape]), count <= Self.sizeLimit else {
            throw LearningError.invalidModelSpec(reason: "input shape \(shape) exceeds \(Self.sizeLimit) values")
        }
    }

    /// The largest (or, `summing`, the total) scalar count of `shapes`, `nil` on overflow.
    static func scalarCount(of shapes: [[Int]], summing: Bool = false) -> Int? {
        var result = 0
        for shape in shapes {
            var count = 1
            for extent in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: extent)
                guard !overflow else { return nil }
                count = product
            }
            if summing {
                let (sum, overflow) = result.addingReportingOverflow(count)
                guard !overflow else { return nil }
                result = sum
            } else {
                result = max(result, count)
            }
        }
        return result
    }

    /// The built-in architectures of `../shared/peers/torch_train.py`, by name:
    /// `logreg` (Linear), `mlp` (Linear-ReLU-Linear-ReLU-Linear, `hidden` units) and `cnn1d` (the MNIST-1D CNN:
    /// three Conv1d of 25 filters, kernel 5/3/3, stride 2, padding 1, ReLU after each, then Linear).
    /// - Throws: ``LearningError/invalidModelSpec(reason:)`` for an unknown name.
    public static func builtin(_ name: String, features: Int, classes: Int, hidden: Int = 128) throws -> ModelSpec {
        switch name {
        case "logreg":
            return ModelSpec(inputShape: [features], layers: [.dense(classes)])
        case "mlp":
            return ModelSpec(inputShape: [features], layers: [
                .dense(hidden), .activation(.relu), .dense(hidden), .activation(.relu), .dense(classes),
            ])
        case "cnn1d":
            return ModelSpec(inputShape: [features], layers: [
                .reshape([1, features]),
                .conv1d(filters: 25, kernel: 5, stride: 2, padding: 1), .activation(.relu),
                .conv1d(filters: 25, kernel: 3, stride: 2, padding: 1), .activation(.relu),
                .conv1d(filters: 25, kernel: 3, stride: 2, padding: 1), .activation(.relu),
                .flatten, .dense(classes),
            ])
        default:
            throw LearningError.invalidModelSpec(reason: "unknown built-in model '\(name)' (logreg, mlp, cnn1d)")
        }
    }
}
