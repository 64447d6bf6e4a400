// Everything the chain needs to re-execute an answer and judge the server's receipt.

public import DeAICore

/// The proof of a forged answer: the server's receipt, the input rows it answered, the weights of the model
/// version it names and the task's table schema (when the task names one).
///
/// The chain checks the weights and the schema against the hashes it holds, re-executes the rows on the
/// fixed-order path and compares the output hash with the receipt's: a mismatch slashes the server
/// (``ServerBond``); a match refuses the evidence. The evidence carries the blobs because the chain keeps only
/// their hashes; its size is bounded by `max_evidence_bytes`, not by `max_transaction_bytes`.
public struct ForgeryEvidence: Sendable, Hashable {
    /// The signed receipt.
    public var receipt: AnswerReceipt
    /// The rows the receipt's input hash names.
    public var inputs: InferenceRows
    /// The model version's weights blob (its hash is the version's `model`).
    public var modelBlob: [UInt8]
    /// The task's table schema blob, when its `data_schema` names one; empty otherwise.
    public var schemaBlob: [UInt8]

    /// Evidence with every field given.
    public init(receipt: AnswerReceipt, inputs: InferenceRows, modelBlob: [UInt8], schemaBlob: [UInt8]) {
        self.receipt = receipt
        self.inputs = inputs
        self.modelBlob = modelBlob
        self.schemaBlob = schemaBlob
    }
}

extension ForgeryEvidence: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.receipt)
        encoder.encode(self.inputs)
        encoder.encode(bytes: self.modelBlob)
        encoder.encode(bytes: self.schemaBlob)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.receipt = try decoder.decode(AnswerReceipt.self)
        self.inputs = try decoder.decode(InferenceRows.self)
        self.modelBlob = try decoder.decodeBytes()
        self.schemaBlob = try decoder.decodeBytes()
    }
}
