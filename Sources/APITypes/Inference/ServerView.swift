// APITypes: an inference server's bond and earnings in JSON.

public import DeAICore
public import Ledger

/// An inference server's standing: `GET /v1/servers/{address}`.
///
/// ```json
/// {"address": "deai1…", "bonded": 5000, "unbonding": 0, "unbonding_completes": 0, "punished": false,
///  "accepts_channels": true}
/// ```
public struct ServerView: Codable, Sendable, Hashable {
    /// The server's account.
    public var address: Address
    /// Tokens bonded behind its answers.
    public var bonded: Amount
    /// Tokens on their way back, still slashable.
    public var unbonding: Amount
    /// The height at whose end ``unbonding`` returns.
    public var unbondingCompletes: Height
    /// Whether a forged answer was proven against it.
    public var punished: Bool
    /// Whether clients may open channels to it now (bonded at least `minimum_server_bond`, never punished).
    public var acceptsChannels: Bool

    private enum CodingKeys: String, CodingKey {
        case address, bonded, unbonding, punished
        case unbondingCompletes = "unbonding_completes", acceptsChannels = "accepts_channels"
    }

    /// The view of `address`'s bond in `state` (an empty bond when it has none).
    public init(_ address: Address, in state: LedgerState) {
        let bond = state.serverBonds[address] ?? ServerBond()
        self.address = address
        self.bonded = bond.bonded
        self.unbonding = bond.unbonding
        self.unbondingCompletes = bond.unbondingCompletes
        self.punished = bond.punished
        self.acceptsChannels = !bond.punished && bond.bonded > 0 && bond.bonded >= state.parameters.minimumServerBond
    }
}

/// What inference paid one contributor, per task and model version: `GET /v1/accounts/{address}/inference_earnings`.
public struct InferenceEarningsView: Codable, Sendable, Hashable {
    /// One version's earnings.
    public struct Entry: Codable, Sendable, Hashable {
        /// The task.
        public var taskID: UInt64
        /// The model version whose training the contributor took part in.
        public var version: UInt32
        /// Tokens paid to the contributor by claims on channels serving that version or its descendants.
        public var amount: Amount

        private enum CodingKeys: String, CodingKey {
            case version, amount
            case taskID = "task_id"
        }
    }

    /// The contributor.
    public var address: Address
    /// Its earnings, by task, then version.
    public var earnings: [Entry]
    /// Their sum.
    public var total: Amount

    /// The earnings of `address` in `state`.
    public init(of address: Address, in state: LedgerState) {
        self.address = address
        self.earnings = state.inferenceEarnings.filter { $0.key.contributor == address }.sorted { $0.key < $1.key }
            .map { Entry(taskID: $0.key.taskID, version: $0.key.version, amount: $0.value) }
        self.total = self.earnings.reduce(0) { $0 &+ $1.amount }
    }
}
