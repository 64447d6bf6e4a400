// APITypes: the bodies of `POST /v1/models/{id}/predict` and `GET /v1/models` on an inference server.

public import DeAICore
public import Ledger

/// A prediction request: raw feature rows, one number per feature column (the task's schema prepares them, as in
/// training). The same body works against PyTorch servers such as `../shared/peers/torch_serve.py`.
///
/// ```json
/// {"inputs": [[0.0, 3.0, 16.0, …], …]}
/// ```
public struct PredictRequest: Codable, Sendable, Hashable {
    /// The rows.
    public var inputs: [[Double]]

    /// A request for `inputs`.
    public init(inputs: [[Double]]) { self.inputs = inputs }
}

/// A prediction: per row the class, its label and the class probabilities, with the server's signed receipt.
///
/// ```json
/// {"model": "1.3", "classes": [8], "labels": ["8"], "probabilities": [[0.001, …]],
///  "receipt": {"server": "c0ff…", "task_id": 1, "version": 3, …}, "charged": 5, "channel_id": 2}
/// ```
public struct PredictResponse: Codable, Sendable, Hashable {
    /// The model that answered, `TASK.VERSION`.
    public var model: String
    /// The predicted class of each row.
    public var classes: [Int]
    /// The class labels, when the task's schema names them.
    public var labels: [String]?
    /// Each row's class probabilities.
    public var probabilities: [[Float]]
    /// The server's signature over (model, input hash, output hash).
    public var receipt: AnswerReceiptView
    /// Tokens this request cost (0 when the server is free).
    public var charged: Amount
    /// The channel that paid, when one did.
    public var channelID: UInt64?

    private enum CodingKeys: String, CodingKey {
        case model, classes, labels, probabilities, receipt, charged
        case channelID = "channel_id"
    }

    /// A response with every field given.
    public init(
        model: String, classes: [Int], labels: [String]?, probabilities: [[Float]], receipt: AnswerReceiptView,
        charged: Amount, channelID: UInt64?
    ) {
        self.model = model
        self.classes = classes
        self.labels = labels
        self.probabilities = probabilities
        self.receipt = receipt
        self.charged = charged
        self.channelID = channelID
    }
}

/// What an inference server offers: `GET /v1/models`.
public struct ServedModelsView: Codable, Sendable, Hashable {
    /// One model the server answers with.
    public struct Entry: Codable, Sendable, Hashable {
        /// Its identifier in request paths, `TASK.VERSION`.
        public var id: String
        /// The task.
        public var taskID: UInt64
        /// The version.
        public var version: UInt32
        /// The weights' blob hash.
        public var model: SHA256Digest
        /// The number of raw values each row must hold.
        public var rowWidth: Int
        /// The class labels, when the task's schema names them.
        public var labels: [String]?

        private enum CodingKeys: String, CodingKey {
            case id, version, model, labels
            case taskID = "task_id", rowWidth = "row_width"
        }

        /// An entry with every field given.
        public init(id: String, taskID: UInt64, version: UInt32, model: SHA256Digest, rowWidth: Int, labels: [String]?) {
            self.id = id
            self.taskID = taskID
            self.version = version
            self.model = model
            self.rowWidth = rowWidth
            self.labels = labels
        }
    }

    /// The server's account: channels are opened to it, and its key signs every receipt.
    public var server: Address
    /// The chain it claims on.
    public var chainID: String
    /// Tokens per answered row it asks; 0 when it serves for free.
    public var pricePerRow: Amount
    /// The models, by identifier.
    public var models: [Entry]

    private enum CodingKeys: String, CodingKey {
        case server, models
        case chainID = "chain_id", pricePerRow = "price_per_row"
    }

    /// A view with every field given.
    public init(server: Address, chainID: String, pricePerRow: Amount, models: [Entry]) {
        self.server = server
        self.chainID = chainID
        self.pricePerRow = pricePerRow
        self.models = models
    }
}

/// What an inference server holds of a channel: `GET /v1/channels/{id}/covered` on the server. A client that lost
/// its own count resumes its cumulative vouchers above ``covered``.
public struct CoveredView: Codable, Sendable, Hashable {
    /// The channel.
    public var channelID: UInt64
    /// The best cumulative amount the server holds.
    public var covered: Amount

    private enum CodingKeys: String, CodingKey {
        case covered
        case channelID = "channel_id"
    }

    /// A view with every field given.
    public init(channelID: UInt64, covered: Amount) {
        self.channelID = channelID
        self.covered = covered
    }
}
