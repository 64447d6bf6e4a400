// The server's signed statement of what one model answered to one input.

public import DeAICore

/// An inference server's signature over one answer: "model version `version` of task `taskID` (weights
/// `model`) answered the input hashing to `input` with the output hashing to `output`".
///
/// Every answer of `deai serve` carries one. Whoever holds the input re-executes it on the fixed-order path (the
/// same bits on every CPU); on a mismatch the receipt, the input, the weights and the task's schema make a
/// ``ForgeryEvidence`` that the chain re-checks, slashing the server. The signature covers
/// `DEAI/ANSWER/V1\0 ‖ canonical(chain ID, task, version, model, input, output)`.
public struct AnswerReceipt: Sendable, Hashable, Codable {
    /// The key the server signs with: its account key, whose address holds the ``ServerBond``.
    public var server: VerifyingKey
    /// The task whose model answered.
    public var taskID: UInt64
    /// The model version that answered.
    public var version: UInt32
    /// The blob hash of the version's weights.
    public var model: SHA256Digest
    /// ``inputHash(rows:)`` of the request's rows.
    public var input: SHA256Digest
    /// ``outputHash(ofCanonicalOutput:)`` of the answer.
    public var output: SHA256Digest
    /// The server's signature over ``signingBytes(chainID:)``.
    public var signature: Signature

    /// A receipt with every field given.
    public init(
        server: VerifyingKey, taskID: UInt64, version: UInt32, model: SHA256Digest, input: SHA256Digest,
        output: SHA256Digest, signature: Signature
    ) {
        self.server = server
        self.taskID = taskID
        self.version = version
        self.model = model
        self.input = input
        self.output = output
        self.signature = signature
    }

    /// The bytes the signature covers.
    public func signingBytes(chainID: String) -> [UInt8] {
        Self.signingBytes(
            chainID: chainID, taskID: self.taskID, version: self.version, model: self.model, input: self.input,
            output: self.output)
    }

    /// The bytes a server signs for an answer: `DEAI/ANSWER/V1\0 ‖ canonical(chain ID, task, version, model,
    /// input, output)`.
    public static func signingBytes(
        chainID: String, taskID: UInt64, version: UInt32, model: SHA256Digest, input: SHA256Digest, output: SHA256Digest
    ) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.encode(chainID)
        encoder.encode(taskID)
        encoder.encode(version)
        encoder.encode(model)
        encoder.encode(input)
        encoder.encode(output)
        return Array("DEAI/ANSWER/V1\0".utf8) + encoder.bytes
    }

    /// Whether the server's key signed this receipt on chain `chainID`.
    public func isSigned(chainID: String) -> Bool {
        self.server.isValidSignature(self.signature, for: self.signingBytes(chainID: chainID))
    }

    /// The hash of a request's raw rows: `SHA-256` (domain `deai/inference-input`) of the row count, the row width
    /// and every value's IEEE-754 binary64 bits, row by row, as canonical big-endian integers.
    public static func inputHash(rows: [[Double]]) -> SHA256Digest {
        SHA256Digest(domain: "deai/inference-input", hashing: InferenceRows(rows).canonicalEncoding)
    }

    /// The hash of an answer's canonical output bytes (`Learning.FixedOrderPrediction`), domain `deai/inference-output`.
    public static func outputHash(ofCanonicalOutput bytes: [UInt8]) -> SHA256Digest {
        SHA256Digest(domain: "deai/inference-output", hashing: bytes)
    }
}

extension AnswerReceipt: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.server)
        encoder.encode(self.taskID)
        encoder.encode(self.version)
        encoder.encode(self.model)
        encoder.encode(self.input)
        encoder.encode(self.output)
        encoder.encode(self.signature)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.server = try decoder.decode(VerifyingKey.self)
        self.taskID = try decoder.decodeUInt64()
        self.version = try decoder.decodeUInt32()
        self.model = try decoder.decode(SHA256Digest.self)
        self.input = try decoder.decode(SHA256Digest.self)
        self.output = try decoder.decode(SHA256Digest.self)
        self.signature = try decoder.decode(Signature.self)
    }
}

extension AnswerReceipt {
    /// The receipt of an answer, signed with the server's `key`.
    /// - Throws: only if the platform's signing fails.
    public init(
        signedBy key: SigningKey, chainID: String, taskID: UInt64, version: UInt32, model: SHA256Digest,
        input: SHA256Digest, output: SHA256Digest
    ) throws {
        let bytes = Self.signingBytes(
            chainID: chainID, taskID: taskID, version: version, model: model, input: input, output: output)
        self.init(
            server: key.verifyingKey, taskID: taskID, version: version, model: model, input: input, output: output,
            signature: try key.signature(for: bytes))
    }
}
