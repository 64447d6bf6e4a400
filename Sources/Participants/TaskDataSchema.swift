// TaskDataSchema: a task's table schema, published as a blob and named in the task's data_schema field.

public import DeAICore
import Foundation
public import Learning

/// A task's data schema for tables: the columns with their kinds and categories, the target with its classes,
/// and the standardization every participant applies — a ``Learning/TablePreparation`` fitted by the sponsor on a
/// reference table (`deai task create --schema-from FILE.csv`).
///
/// The schema is published as a blob (its JSON, keys sorted) and the task's `data_schema` field names it,
/// `table-schema sha256:<hex>` (`Ledger.TaskSpec.dataSchema(naming:)`), so the chain commits to it and nodes keep it: categories, classes and statistics included. A role
/// fetches it, checks its own CSV against it before joining (``Learning/TablePreparation/mismatches(in:)``), and
/// prepares its rows with it, so every participant's inputs mean the same thing.
public enum TaskDataSchema {
    /// The blob of `preparation`: its JSON with sorted keys.
    /// - Throws: an `EncodingError` only for a preparation holding non-finite statistics.
    public static func blob(of preparation: TablePreparation) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(preparation))
    }

    /// The schema in `bytes`.
    /// - Throws: ``ParticipantError/invalidBlob(_:reason:)`` when it is not a schema, or not a valid one
    ///   (``Learning/TablePreparation/validate()``).
    public static func decode(_ bytes: [UInt8], hash: SHA256Digest) throws(ParticipantError) -> TablePreparation {
        do {
            let schema = try JSONDecoder().decode(TablePreparation.self, from: Data(bytes))
            try schema.validate()
            return schema
        } catch {
            throw .invalidBlob(hash, reason: "not a table schema: \(error)")
        }
    }
}
