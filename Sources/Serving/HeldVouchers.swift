// The best vouchers a server holds, kept on disk so that a restart loses no payment.

import APITypes
import DeAICore
import Foundation
public import Ledger

/// The best voucher the server holds per channel, saved as JSON (`{"CHANNEL": "CHANNEL:AMOUNT:SIGNATURE"}`) with
/// an atomic replace, so a server that crashes or restarts still claims what it answered — and refuses those
/// vouchers, and any below them, as replays.
public struct HeldVouchers: Sendable {
    /// The file.
    public let path: String

    /// Vouchers kept in `path`.
    public init(path: String) { self.path = path }

    /// The saved vouchers; none when the file does not exist.
    /// - Throws: a ``ServingError/corruptVoucherFile(path:reason:)`` when it exists and is not such a file.
    public func load() throws(ServingError) -> [ChannelVoucher] {
        guard let data = FileManager.default.contents(atPath: self.path) else { return [] }
        do {
            let entries = try JSONDecoder().decode([String: String].self, from: data)
            return try entries.values.map { value throws(ServingError) in
                guard let voucher = VoucherHeader.voucher(in: Substring(value)) else {
                    throw .corruptVoucherFile(path: self.path, reason: "'\(value)' is not CHANNEL:AMOUNT:SIGNATURE")
                }
                return voucher
            }.sorted { $0.channelID < $1.channelID }
        } catch let error as ServingError {
            throw error
        } catch {
            throw .corruptVoucherFile(path: self.path, reason: "\(error)")
        }
    }

    /// Saves `vouchers`, replacing the file atomically.
    /// - Throws: ``ServingError/cannotSave(path:reason:)``.
    public func save(_ vouchers: [ChannelVoucher]) throws(ServingError) {
        let entries = Dictionary(vouchers.map { (String($0.channelID), VoucherHeader.value(of: $0)) }, uniquingKeysWith: { $1 })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        do {
            try encoder.encode(entries).write(to: URL(fileURLWithPath: self.path), options: .atomic)
        } catch {
            throw .cannotSave(path: self.path, reason: "\(error)")
        }
    }
}
