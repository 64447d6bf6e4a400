// LayerSpec: one layer of a ModelSpec, as JSON.

/// One layer of a ``ModelSpec``: a `type` and the fields that type uses.
///
/// Types: `dense` (`units`), `conv1d` (`filters`, `kernel`, `stride`, `padding`), `conv2d` (same, each one
/// number or two), `maxPool1d`/`avgPool1d`/`maxPool2d`/`avgPool2d` (`kernel`, `stride`), `relu`, `gelu`, `tanh`,
/// `sigmoid`, `dropout` (`rate`), `layerNorm`, `flatten`, `reshape` (`shape`).
public struct LayerSpec: Codable, Sendable, Equatable {
    /// The layer type.
    public var type: String
    /// Output features of `dense`.
    public var units: Int?
    /// Output channels of a convolution.
    public var filters: Int?
    /// Window size: one number (1-D, or square 2-D) or two (height, width).
    public var kernel: [Int]?
    /// Window step, like `kernel` (default 1 for convolutions, the window for pooling).
    public var stride: [Int]?
    /// Zero padding, like `kernel` (default 0).
    public var padding: [Int]?
    /// Dropout probability.
    public var rate: Float?
    /// Per-sample shape of `reshape`.
    public var shape: [Int]?

    /// A layer of type `type` with the given fields.
    public init(type: String, units: Int? = nil, filters: Int? = nil, kernel: [Int]? = nil, stride: [Int]? = nil,
                padding: [Int]? = nil, rate: Float? = nil, shape: [Int]? = nil) {
        self.type = type
        self.units = units
        self.filters = filters
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.rate = rate
        self.shape = shape
    }

    /// A dense layer.
    public static func dense(_ units: Int) -> LayerSpec { LayerSpec(type: "dense", units: units) }
    /// A 1-D convolution.
    public static func conv1d(filters: Int, kernel: Int, stride: Int = 1, padding: Int = 0) -> LayerSpec {
        LayerSpec(type: "conv1d", filters: filters, kernel: [kernel], stride: [stride], padding: [padding])
    }
    /// An activation.
    public static func activation(_ function: ActivationLayer.Function) -> LayerSpec {
        LayerSpec(type: function.rawValue)
    }
    /// A flatten layer.
    public static var flatten: LayerSpec { LayerSpec(type: "flatten") }
    /// A reshape layer.
    public static func reshape(_ shape: [Int]) -> LayerSpec { LayerSpec(type: "reshape", shape: shape) }

    /// The layer this specification describes.
    /// - Throws: ``LearningError/invalidModelSpec(reason:)`` for an unknown type or a missing or invalid field.
    public func makeLayer() throws -> any Layer {
        switch self.type {
        case "dense":
            return Dense(outputs: try self.positive(self.units, "units"))
        case "conv1d":
            return Conv1D(filters: try self.positive(self.filters, "filters"), kernel: try self.pair(self.kernel, "kernel").1,
                          stride: try self.pair(self.stride ?? [1], "stride").1,
                          padding: try self.pair(self.padding ?? [0], "padding", allowZero: true).1)
        case "conv2d":
            return Conv2D(filters: try self.positive(self.filters, "filters"), kernel: try self.pair(self.kernel, "kernel"),
                          stride: try self.pair(self.stride ?? [1], "stride"),
                          padding: try self.pair(self.padding ?? [0], "padding", allowZero: true))
        case "maxPool1d", "avgPool1d":
            let kernel = try self.pair(self.kernel, "kernel").1
            let stride = try self.pair(self.stride ?? [kernel], "stride").1
            return Pool(self.type == "maxPool1d" ? .max : .average, kernel: (1, kernel), stride: (1, stride))
        case "maxPool2d", "avgPool2d":
            let kernel = try self.pair(self.kernel, "kernel")
            return Pool(self.type == "maxPool2d" ? .max : .average, kernel: kernel,
                        stride: try self.pair(self.stride ?? [kernel.0, kernel.1], "stride"))
        case "dropout":
            guard let rate = self.rate, rate >= 0, rate < 1 else {
                throw LearningError.invalidModelSpec(reason: "dropout needs a rate in [0, 1)")
            }
            return Dropout(rate: rate)
        case "layerNorm":
            return LayerNorm()
        case "flatten":
            return Flatten()
        case "reshape":
            guard let shape = self.shape, !shape.isEmpty, shape.allSatisfy({ $0 > 0 }),
                let count = ModelSpec.scalarCount(of: [shape]), count <= ModelSpec.sizeLimit
            else {
                throw LearningError.invalidModelSpec(reason: "reshape needs a positive shape of at most \(ModelSpec.sizeLimit) values")
            }
            return Reshape(shape: shape)
        default:
            if let function = ActivationLayer.Function(rawValue: self.type) { return ActivationLayer(function) }
            throw LearningError.invalidModelSpec(reason: "unknown layer type '\(self.type)'")
        }
    }

    /// A positive number, at most ``ModelSpec/sizeLimit``.
    private func positive(_ value: Int?, _ field: String) throws -> Int {
        guard let value, value > 0, value <= ModelSpec.sizeLimit else {
            throw LearningError.invalidModelSpec(reason: "\(self.type) needs a positive '\(field)' of at most \(ModelSpec.sizeLimit)")
        }
        return value
    }

    /// One number (used for both axes) or two, each at most ``ModelSpec/sizeLimit``.
    private func pair(_ values: [Int]?, _ field: String, allowZero: Bool = false) throws -> (Int, Int) {
        guard let values, values.count == 1 || values.count == 2,
            values.allSatisfy({ (allowZero ? $0 >= 0 : $0 > 0) && $0 <= ModelSpec.sizeLimit })
        else {
            throw LearningError.invalidModelSpec(reason: "\(self.type) needs '\(field)' as one or two \(allowZero ? "non-negative" : "positive") numbers")
        }
        return (values[0], values[values.count - 1])
    }
}
