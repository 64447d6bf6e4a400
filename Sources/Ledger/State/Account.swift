// An account: a balance and a nonce.

public import DeAICore

/// A token account, identified by its address.
public struct Account: Sendable, Hashable, Codable {
    /// Spendable tokens (bonded tokens are in validators and delegations).
    public var balance: Amount
    /// The nonce the account's next transaction must carry.
    public var nonce: UInt64

    /// An account with the given balance and nonce.
    public init(balance: Amount = 0, nonce: UInt64 = 0) {
        self.balance = balance
        self.nonce = nonce
    }
}

extension Account: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.balance)
        encoder.encode(self.nonce)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.balance = try decoder.decodeUInt64()
        self.nonce = try decoder.decodeUInt64()
    }
}
