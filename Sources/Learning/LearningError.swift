// LearningError: the one error type of the Learning target.

/// Errors thrown by Learning: shape checks, bad data files, bad model specifications, bad weights files.
///
/// Every case carries the context needed to act on it without a debugger.
public enum LearningError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two shapes that an operation needs to agree do not.
    case shapeMismatch(operation: String, expected: [Int], actual: [Int])
    /// Shapes that cannot be broadcast together.
    case notBroadcastable(operation: String, lhs: [Int], rhs: [Int])
    /// A tensor of the wrong rank for an operation.
    case rankMismatch(operation: String, expected: Int, actual: Int)
    /// An argument out of its valid range.
    case invalidArgument(operation: String, reason: String)
    /// The scalar count does not match the product of the shape.
    case scalarCountMismatch(shape: [Int], count: Int)
    /// A data file that cannot be parsed.
    case malformedData(file: String, line: Int, reason: String)
    /// A column that the data file does not have.
    case unknownColumn(name: String, available: [String])
    /// A model specification that cannot be built.
    case invalidModelSpec(reason: String)
    /// A safetensors file that cannot be read or does not fit the model.
    case malformedWeights(reason: String)
    /// A tensor the weights file lacks, or whose shape differs from the model's.
    case weightMismatch(name: String, expected: [Int], actual: [Int]?)
    /// A file that cannot be read or written.
    case io(path: String, reason: String)
    /// Training stopped because the loss stopped being a finite number.
    case trainingDiverged(epoch: Int, loss: Double)
    /// A flat parameter vector whose length is not the model's parameter count.
    case parameterCountMismatch(expected: Int, actual: Int)
    /// A layer (its index in the spec, and its type) that ``FixedOrderNetwork`` does not implement.
    case unsupportedLayer(index: Int, type: String)
    /// A raw input row (its index in the request, from 0) that cannot be prepared: the wrong number of values, or
    /// a value its column (`nil` when the row as a whole is wrong) cannot hold.
    case invalidInput(row: Int, column: String?, reason: String)

    public var description: String {
        switch self {
        case .shapeMismatch(let operation, let expected, let actual):
            "\(operation): expected shape \(expected), got \(actual)"
        case .notBroadcastable(let operation, let lhs, let rhs):
            "\(operation): shapes \(lhs) and \(rhs) cannot be broadcast together"
        case .rankMismatch(let operation, let expected, let actual):
            "\(operation): expected rank \(expected), got \(actual)"
        case .invalidArgument(let operation, let reason):
            "\(operation): \(reason)"
        case .scalarCountMismatch(let shape, let count):
            "shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(count)"
        case .malformedData(let file, let line, let reason):
            "\(file):\(line): \(reason)"
        case .unknownColumn(let name, let available):
            "no column '\(name)' (columns: \(available.joined(separator: ", ")))"
        case .invalidModelSpec(let reason):
            "invalid model spec: \(reason)"
        case .malformedWeights(let reason):
            "malformed weights: \(reason)"
        case .weightMismatch(let name, let expected, let actual):
            if let actual {
                "weight '\(name)': model expects shape \(expected), file has \(actual)"
            } else {
                "weight '\(name)' (shape \(expected)) is missing from the file"
            }
        case .io(let path, let reason):
            "\(path): \(reason)"
        case .trainingDiverged(let epoch, let loss):
            "training diverged in epoch \(epoch) (loss \(loss)); no model was written. Try a smaller learning rate "
                + "(--lr), fewer epochs, or check the data for extreme values"
        case .parameterCountMismatch(let expected, let actual):
            "the model has \(expected) parameters, the flat parameter vector \(actual)"
        case .unsupportedLayer(let index, let type):
            "layer \(index) ('\(type)') has no fixed-order implementation"
        case .invalidInput(let row, let column, let reason):
            "inputs[\(row)]\(column.map { ", column '\($0)'" } ?? ""): \(reason)"
        }
    }
}
