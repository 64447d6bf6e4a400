// The signed running total a client sends with each paid request.

public import DeAICore

/// A client's promise to pay: "the server of channel `channelID` may claim up to `amount` tokens in all",
/// signed with the key that opened the channel.
///
/// Vouchers are cumulative, so only the latest matters and a lost one costs nothing. The signature covers
/// `DEAI/VOUCHER/V1\0 ‖ canonical(chain ID, channel, amount)`: a voucher of another chain or channel never verifies.
public struct ChannelVoucher: Sendable, Hashable {
    /// The channel.
    public var channelID: UInt64
    /// The cumulative amount the server may claim.
    public var amount: Amount
    /// The client's signature over ``signingBytes(chainID:channelID:amount:)``.
    public var signature: Signature

    /// A voucher with every field given.
    public init(channelID: UInt64, amount: Amount, signature: Signature) {
        self.channelID = channelID
        self.amount = amount
        self.signature = signature
    }

    /// Signs a voucher for `amount` on `channelID` with `key`.
    /// - Throws: only if the platform's signing fails.
    public init(channelID: UInt64, amount: Amount, chainID: String, key: SigningKey) throws {
        self.init(
            channelID: channelID, amount: amount,
            signature: try key.signature(for: Self.signingBytes(chainID: chainID, channelID: channelID, amount: amount)))
    }

    /// The bytes a voucher's signature covers.
    public static func signingBytes(chainID: String, channelID: UInt64, amount: Amount) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.encode(chainID)
        encoder.encode(channelID)
        encoder.encode(amount)
        return Array("DEAI/VOUCHER/V1\0".utf8) + encoder.bytes
    }

    /// Whether `key` signed this voucher on chain `chainID`.
    public func isSigned(by key: VerifyingKey, chainID: String) -> Bool {
        key.isValidSignature(
            self.signature, for: Self.signingBytes(chainID: chainID, channelID: self.channelID, amount: self.amount))
    }
}

extension ChannelVoucher: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.encode(self.channelID)
        encoder.encode(self.amount)
        encoder.encode(self.signature)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CodecError) {
        self.channelID = try decoder.decodeUInt64()
        self.amount = try decoder.decodeUInt64()
        self.signature = try decoder.decode(Signature.self)
    }
}
