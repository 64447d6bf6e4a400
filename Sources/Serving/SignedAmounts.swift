// What a client has signed on each of its channels, so that it never signs the same amount twice.

import Foundation

/// The cumulative amount a client signed last on each channel of a chain, kept as JSON
/// (`{"CHANNEL": AMOUNT}`) and replaced atomically after each paid request: a client that restarts resumes above
/// it, so no voucher is ever refused as a replay and none pays twice.
public struct SignedAmounts: Sendable {
    /// The file.
    public let path: String

    /// Amounts kept in `path`.
    public init(path: String) { self.path = path }

    /// The amount signed last on `channel`, or `nil` when none is recorded.
    /// - Throws: ``ServingError/corruptVoucherFile(path:reason:)`` when the file exists and does not decode.
    public func amount(channel: UInt64) throws(ServingError) -> UInt64? {
        try self.all()[String(channel)]
    }

    /// Records `amount` as the last signed on `channel`.
    /// - Throws: ``ServingError``.
    public func record(_ amount: UInt64, channel: UInt64) throws(ServingError) {
        var all = try self.all()
        all[String(channel)] = amount
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            let directory = (self.path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try encoder.encode(all).write(to: URL(fileURLWithPath: self.path), options: .atomic)
        } catch {
            throw .cannotSave(path: self.path, reason: "\(error)")
        }
    }

    private func all() throws(ServingError) -> [String: UInt64] {
        guard let data = FileManager.default.contents(atPath: self.path) else { return [:] }
        do {
            return try JSONDecoder().decode([String: UInt64].self, from: data)
        } catch {
            throw .corruptVoucherFile(path: self.path, reason: "\(error)")
        }
    }
}
