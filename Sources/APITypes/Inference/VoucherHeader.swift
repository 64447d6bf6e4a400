// APITypes: a channel voucher in the `DeAI-Voucher` request header.

import DeAICore
public import Ledger

/// The `DeAI-Voucher` header a paid request carries: `CHANNEL:AMOUNT:SIGNATURE`, the channel's identifier, the
/// cumulative amount in tokens and the client's Ed25519 signature in hex (``Ledger/ChannelVoucher``).
///
/// ```
/// DeAI-Voucher: 2:1500:9b1c…(128 hex digits)
/// ```
public enum VoucherHeader {
    /// The header's name.
    public static let name = "DeAI-Voucher"

    /// The header value of `voucher`.
    public static func value(of voucher: ChannelVoucher) -> String {
        "\(voucher.channelID):\(voucher.amount):\(voucher.signature)"
    }

    /// The voucher in a header value, or `nil` when it is not `CHANNEL:AMOUNT:SIGNATURE`.
    public static func voucher(in value: Substring) -> ChannelVoucher? {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let channel = UInt64(parts[0]), let amount = UInt64(parts[1]),
            let bytes = try? [UInt8](hexString: String(parts[2])),
            let signature = try? Signature(rawRepresentation: bytes)
        else { return nil }
        return ChannelVoucher(channelID: channel, amount: amount, signature: signature)
    }
}
