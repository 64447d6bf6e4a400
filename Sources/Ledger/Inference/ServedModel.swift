// A model version ready to answer on the fixed-order path: the one code that servers and the chain run.

public import DeAICore
import Federation
import Foundation
public import Learning

/// A task's model version as servers run it and the chain re-checks it: the task's architecture with the version's
/// weights on the fixed-order path (``Learning/FixedOrderNetwork``: the same bits on every CPU), and the task's
/// table schema, when it names one, to prepare raw feature rows.
///
/// A server and the chain build it from the same bytes and call the same ``answer(_:)``, so an honest receipt's
/// output hash is what the chain recomputes, bit for bit.
public struct ServedModel: Sendable {
    /// The network on the fixed-order path.
    public let network: FixedOrderNetwork
    /// How raw feature rows become inputs; `nil` when the task names no table schema (rows are the inputs).
    public let preparation: TablePreparation?

    /// Why a model version cannot be served.
    public enum LoadError: Error, Hashable, Sendable, CustomStringConvertible {
        /// The weights blob does not hash to the version's model.
        case weightsMismatch(expected: SHA256Digest, actual: SHA256Digest)
        /// The schema blob does not hash to the one the task names (or one was given for a task that names none).
        case schemaMismatch(expected: SHA256Digest?, actual: SHA256Digest?)
        /// The task's model spec, the weights or the schema do not make a model.
        case invalidModel(reason: String)

        public var description: String {
            switch self {
            case .weightsMismatch(let expected, let actual): "the weights hash to \(actual), the model version is \(expected)"
            case .schemaMismatch(let expected, let actual):
                "the schema blob hashes to \(actual.map(\.description) ?? "nothing"), the task names \(expected.map(\.description) ?? "no schema blob")"
            case .invalidModel(let reason): "the model cannot be built: \(reason)"
            }
        }
    }

    /// One answer: per row the class, its name and the probabilities, with the canonical bytes and their hash.
    public struct Answer: Sendable {
        /// The predicted class of each row.
        public var classes: [Int]
        /// Each row's class probabilities.
        public var probabilities: [[Float]]
        /// The canonical output bytes (``Learning/FixedOrderNetwork``'s encoding).
        public var outputBytes: [UInt8]
        /// ``AnswerReceipt/outputHash(ofCanonicalOutput:)`` of ``outputBytes``.
        public var outputHash: SHA256Digest
    }

    /// The model of a task whose version has weights `modelBlob` (checked against `expectedModel`) and, when the task
    /// names a schema blob, that schema (`schemaBlob`, checked against the task; empty when it names none).
    /// - Throws: ``LoadError``.
    public init(task: TaskSpec, modelBlob: [UInt8], expectedModel: SHA256Digest, schemaBlob: [UInt8]) throws(LoadError) {
        let actual = SHA256Digest(hashing: modelBlob)
        guard actual == expectedModel else { throw .weightsMismatch(expected: expectedModel, actual: actual) }
        let namedSchema = TaskSpec.dataSchemaBlob(in: task.dataSchema)
        let givenSchema = schemaBlob.isEmpty ? nil : SHA256Digest(hashing: schemaBlob)
        guard namedSchema == givenSchema else { throw .schemaMismatch(expected: namedSchema, actual: givenSchema) }
        do {
            let spec = try JSONDecoder().decode(ModelSpec.self, from: Data(task.modelSpec.utf8))
            self.network = try FixedOrderNetwork(spec: spec, flatParameters: try decodeVector(modelBlob))
            if givenSchema != nil {
                let preparation = try JSONDecoder().decode(TablePreparation.self, from: Data(schemaBlob))
                try preparation.validate()
                self.preparation = preparation
            } else {
                self.preparation = nil
            }
        } catch {
            throw .invalidModel(reason: "\(error)")
        }
    }

    /// A model of `network` with `preparation` for its raw rows (a local file's, say: `deai serve --file`).
    public init(network: FixedOrderNetwork, preparation: TablePreparation?) {
        self.network = network
        self.preparation = preparation
    }

    /// The class names, when the task's schema gives them.
    public var classNames: [String]? { self.preparation.map(\.target.classes) }

    /// The number of raw values each row must hold.
    public var rowWidth: Int { self.preparation?.features.count ?? self.network.inputWidth }

    /// Answers `rows` on the fixed-order path.
    /// - Throws: a ``Learning/LearningError`` naming the row for a row of the wrong width or a value that is not a
    ///   finite number.
    public func answer(_ rows: [[Double]]) throws -> Answer {
        let inputs: [Float]
        if let preparation = self.preparation {
            inputs = try preparation.preparedInputs(rawRows: rows)
        } else {
            inputs = try Self.inputs(rawRows: rows, width: self.network.inputWidth)
        }
        let prediction = try self.network.predictions(for: inputs, count: rows.count)
        let bytes = prediction.canonicalBytes
        let width = max(prediction.classCount, 1)
        let probabilities = stride(from: 0, to: prediction.probabilities.count, by: width).map {
            Array(prediction.probabilities[$0..<$0 + width])
        }
        return Answer(
            classes: prediction.classes, probabilities: probabilities, outputBytes: bytes,
            outputHash: AnswerReceipt.outputHash(ofCanonicalOutput: bytes))
    }

    /// Rows that are the model's inputs already (a task with no table schema), as float32, row-major.
    /// - Throws: ``Learning/LearningError/invalidInput(row:column:reason:)`` naming the first row of the wrong width or holding
    ///   a value that is not finite in float32.
    static func inputs(rawRows rows: [[Double]], width: Int) throws(LearningError) -> [Float] {
        var inputs: [Float] = []
        inputs.reserveCapacity(rows.count * width)
        for (index, row) in rows.enumerated() {
            guard row.count == width else {
                throw .invalidInput(row: index, column: nil, reason: "it has \(row.count) values; the model takes \(width)")
            }
            for (column, value) in row.enumerated() {
                let single = Float(value)
                guard single.isFinite else {
                    throw .invalidInput(row: index, column: "value \(column + 1)", reason: "\(value) is not a finite float32 number")
                }
                inputs.append(single)
            }
        }
        return inputs
    }
}
