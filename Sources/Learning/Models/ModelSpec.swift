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

    /// The network this specification describes.
    /// - Throws: ``LearningError/invalidModelSpec(reason:)`` or a shape error when the layers do not fit.
    public func makeNetwork() throws -> Sequential {
        guard !self.inputShape.isEmpty, self.inputShape.allSatisfy({ $0 > 0 }) else {
            throw LearningError.invalidModelSpec(reason: "input shape \(self.inputShape) must be non-empty and positive")
        }
        let network = Sequential(try self.layers.map { try $0.makeLayer() })
        let activations = try network.shapes(inputShape: self.inputShape)
        let parameters = try network.parameterShapes(inputShape: self.inputShape)
        let limit = Self.sizeLimit
        guard let total = Self.scalarCount(of: parameters, summing: true), total <= limit else {
            throw LearningError.invalidModelSpec(reason: "the model would have more than \(limit) parameters")
        }
        guard let largest = Self.scalarCount(of: activations), largest <= limit else {
            throw LearningError.invalidModelSpec(reason: "a layer's output per sample exceeds \(limit) values")
        }
        return network
    }

    /// The most parameters a model may have, and the most values one layer may output per sample: 2²⁸ (1 GiB of
    /// 32-bit floats), checked before anything is allocated.
    public static let sizeLimit = 1 << 28

    /// The largest (or, `summing`, the total) scalar count of `shapes`, `nil` on overflow.
    private static func scalarCount(of shapes: [[Int]], summing: Bool = false) -> Int? {
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
