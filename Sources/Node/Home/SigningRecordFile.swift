// Node: the validator's signing record in a file beside the database.

public import Consensus
import Foundation

/// The validator's ``Consensus/SigningRecord`` as `data/validator_state.json`: written atomically and durably
/// (temporary file, fsync, rename, fsync of the directory) before every signature, read at start. It sits beside
/// the database but is not part of it: a database that was lost, truncated or rolled back is caught by comparing
/// its height with the record's.
public struct SigningRecordFile: SigningRecordStore {
    /// The file.
    public let path: String

    /// The record kept at `path`.
    public init(path: String) {
        self.path = path
    }

    /// The saved record, or a fresh one when the file does not exist.
    /// - Throws: ``NodeError`` (`invalidConfiguration`) naming the file when it does not parse.
    public func load() throws -> SigningRecord {
        guard FileManager.default.fileExists(atPath: self.path) else { return SigningRecord() }
        do {
            return try JSONDecoder().decode(SigningRecord.self, from: try SecureFile.read(self.path))
        } catch let error as NodeError {
            throw error
        } catch {
            throw NodeError(
                .invalidConfiguration,
                "the signing record \(self.path) is not valid; without it the validator cannot know what it signed",
                cause: error)
        }
    }

    /// Saves `record` durably.
    /// - Throws: ``NodeError`` (`fileSystem`) naming the file.
    public func save(_ record: SigningRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try SecureFile.write(Array(try encoder.encode(record)), to: self.path)
    }
}
