// APITypes: a payment channel in JSON.

public import DeAICore
public import Ledger

/// A payment channel (``Ledger/PaymentChannel``): `GET /v1/channels/{id}`, and the lists of
/// `GET /v1/accounts/{address}/channels`.
///
/// ```json
/// {"id": 4, "client": "deai1…", "server": "deai1…", "task_id": 1, "version": 3, "deposit": 10000,
///  "claimed": 1200, "unclaimed": 8800, "price_per_row": 1, "expires_at": 1500, "status": "open"}
/// ```
public struct ChannelView: Codable, Sendable, Hashable {
    /// The channel's identifier.
    public var id: UInt64
    /// The account that opened it.
    public var client: Address
    /// The key that signs the client's vouchers (hex).
    public var clientKey: VerifyingKey
    /// The server it pays.
    public var server: Address
    /// The task whose model it pays for.
    public var taskID: UInt64
    /// The model version it pays for.
    public var version: UInt32
    /// Tokens escrowed in all.
    public var deposit: Amount
    /// Tokens the server claimed so far.
    public var claimed: Amount
    /// Tokens still escrowed (0 once closed).
    public var unclaimed: Amount
    /// Tokens per answered row, as agreed at opening.
    public var pricePerRow: Amount
    /// The last height at which the server may claim.
    public var expiresAt: Height
    /// `open`, `expired` (the client may close it) or `closed`.
    public var status: String
    /// The height at which it was closed.
    public var closedAt: Height?
    /// The proof of the channel's state entry (`StateKey.channel(id:)`), when asked for.
    public var proof: AccountProofView?

    private enum CodingKeys: String, CodingKey {
        case id, client, server, version, deposit, claimed, unclaimed, status, proof
        case clientKey = "client_key", taskID = "task_id", pricePerRow = "price_per_row"
        case expiresAt = "expires_at", closedAt = "closed_at"
    }

    /// The view of `channel` at `height`.
    public init(_ channel: PaymentChannel, height: Height) {
        self.id = channel.id
        self.client = channel.client
        self.clientKey = channel.clientKey
        self.server = channel.server
        self.taskID = channel.taskID
        self.version = channel.version
        self.deposit = channel.deposit
        self.claimed = channel.claimed
        self.unclaimed = channel.unclaimed
        self.pricePerRow = channel.pricePerRow
        self.expiresAt = channel.expiresAt
        self.status = channel.closedAt != nil ? "closed" : height > channel.expiresAt ? "expired" : "open"
        self.closedAt = channel.closedAt
        self.proof = nil
    }

    /// The ledger's channel this view shows.
    public var channel: PaymentChannel {
        PaymentChannel(
            id: self.id, client: self.client, clientKey: self.clientKey, server: self.server, taskID: self.taskID,
            version: self.version, deposit: self.deposit, claimed: self.claimed, pricePerRow: self.pricePerRow,
            expiresAt: self.expiresAt, closedAt: self.closedAt)
    }
}

/// The channels an account opened or serves, by identifier: `GET /v1/accounts/{address}/channels`.
public struct ChannelsView: Codable, Sendable, Hashable {
    /// The channels, in identifier order.
    public var channels: [ChannelView]
    /// The height of the state they were read from (a server checks expiries against it).
    public var height: Height

    /// The channels of `address` (as client or server) in `state`.
    public init(of address: Address, in state: LedgerState) {
        self.channels = state.channels.values.filter { $0.client == address || $0.server == address }
            .sorted { $0.id < $1.id }.map { ChannelView($0, height: state.height) }
        self.height = state.height
    }
}
