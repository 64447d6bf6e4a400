// APITypes: a server's signed answer receipt in JSON.

public import DeAICore
public import Ledger

/// ``Ledger/AnswerReceipt`` in JSON: what `deai serve` attaches to every answer and what forgery evidence carries.
///
/// ```json
/// {"server": "c0ff…", "task_id": 1, "version": 3, "model": "9f86…", "input": "5be0…", "output": "a1c4…",
///  "signature": "77e1…"}
/// ```
public struct AnswerReceiptView: Codable, Sendable, Hashable {
    /// The server's public key (hex); its address holds the bond.
    public var server: VerifyingKey
    /// The task whose model answered.
    public var taskID: UInt64
    /// The model version.
    public var version: UInt32
    /// The version's weights blob hash.
    public var model: SHA256Digest
    /// The hash of the request's rows (`AnswerReceipt.inputHash(rows:)`).
    public var input: SHA256Digest
    /// The hash of the answer's canonical output.
    public var output: SHA256Digest
    /// The server's signature.
    public var signature: Signature

    private enum CodingKeys: String, CodingKey {
        case server, version, model, input, output, signature
        case taskID = "task_id"
    }

    /// The view of `receipt`.
    public init(_ receipt: AnswerReceipt) {
        self.server = receipt.server
        self.taskID = receipt.taskID
        self.version = receipt.version
        self.model = receipt.model
        self.input = receipt.input
        self.output = receipt.output
        self.signature = receipt.signature
    }

    /// The receipt this view shows.
    public var receipt: AnswerReceipt {
        AnswerReceipt(
            server: self.server, taskID: self.taskID, version: self.version, model: self.model, input: self.input,
            output: self.output, signature: self.signature)
    }
}
