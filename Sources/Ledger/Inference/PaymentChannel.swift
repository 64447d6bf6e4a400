// A client's prepaid channel to one inference server for one model version.

public import DeAICore

/// A prepaid payment channel: a client escrows `deposit` for requests to one server's answers from one model
/// version, and pays per answered row off chain with signed cumulative vouchers (``ChannelVoucher``).
///
/// The server claims the latest voucher on chain whenever it likes, up to ``expiresAt``; each claim pays only the
/// increase over what was claimed before and splits it between the server and the model's contributors
/// (``LineageRevenue``). After the expiry — or at once if the server was punished for a forged answer — the client
/// closes the channel and takes back what was never claimed. Nothing can keep the deposit locked: a crashed server
/// loses only what it did not claim in time, a crashed client only what it signed.
public struct PaymentChannel: Sendable, Hashable, Codable {
    /// The channel's identifier, from 1.
    public var id: UInt64
    /// The account that opened it and gets the refund.
    public var client: Address
    /// The key that signs the client's vouchers: the key that signed the opening transaction.
    public var clientKey: VerifyingKey
    /// The server paid through it.
    public var server: Address
    /// The task whose model is served.
    public var taskID: UInt64
    /// The model version served (from 1; 0, the task's initial model, earns its contributors nothing).
    public var version: UInt32
    /// Tokens escrowed in all.
    public var deposit: Amount
    /// Tokens claimed by the server so far: the largest voucher amount claimed.
    public var claimed: Amount
    /// Tokens per answered row, as agreed at opening: a server charges this much for each row it answers, and
    /// refuses a channel opened below its own price.
    public var pricePerRow: Amount
    /// The last height at which the server may claim.
    public var expiresAt: Height
    /// The height at which the client closed it and took back the rest; `nil` while open.
    public var closedAt: Height?

    /// A channel with every field given.
    public init(
        id: UInt64, client: Address, clientKey: VerifyingKey, server: Address, taskID: UInt64, version: UInt32,
        deposit: Amount, claimed: Amount, pricePerRow: Amount, expiresAt: Height, closedAt: Height?
    ) {
        self.id = id
        self.client = client
        self.clientKey = clientKey
        self.server = server
        self.taskID = taskID
        self.version = version
        self.deposit = deposit
        self.claimed = claimed
        self.pricePerRow = pricePerRow
        self.expiresAt = expiresAt
        self.closedAt = closedAt
    }

    /// What is still escrowed: the deposit less the claims (and nothing once closed).
    public var unclaimed: Amount { self.closedAt == nil ? self.deposit - self.claimed : 0 }
}

extension PaymentChannel: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.id)
        encoder.encode(self.client)
        encoder.encode(self.clientKey)
        encoder.encode(self.server)
        encoder.encode(self.taskID)
        encoder.encode(self.version)
        encoder.encode(self.deposit)
        encoder.encode(self.claimed)
        encoder.encode(self.pricePerRow)
        encoder.encode(self.expiresAt)
        encoder.encode(self.closedAt)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.id = try decoder.decodeUInt64()
        self.client = try decoder.decode(Address.self)
        self.clientKey = try decoder.decode(VerifyingKey.self)
        self.server = try decoder.decode(Address.self)
        self.taskID = try decoder.decodeUInt64()
        self.version = try decoder.decodeUInt32()
        self.deposit = try decoder.decodeUInt64()
        self.claimed = try decoder.decodeUInt64()
        self.pricePerRow = try decoder.decodeUInt64()
        self.expiresAt = try decoder.decodeUInt64()
        self.closedAt = try decoder.decodeOptional(UInt64.self)
    }
}
