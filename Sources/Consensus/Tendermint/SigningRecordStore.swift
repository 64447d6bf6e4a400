// SigningRecordStore: where a validator keeps its signing record, durably.

/// Keeps a validator's ``SigningRecord`` where a crash, or the loss of the database, does not take it: a node saves
/// the record before a signed proposal or vote leaves it, and reads it when it starts.
public protocol SigningRecordStore: Sendable {
    /// The saved record; a fresh one when nothing was saved.
    /// - Throws: when the record exists but cannot be read.
    func load() throws -> SigningRecord

    /// Saves `record`; returns only once it is durable.
    /// - Throws: when it could not be made durable: then nothing may be signed.
    func save(_ record: SigningRecord) throws
}
