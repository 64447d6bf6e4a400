// TaskSpec: the blob a task's data schema names, so that nodes keep it.

public import DeAICore

extension TaskSpec {
    /// What a ``dataSchema`` naming a schema blob starts with; the blob's hash in hex follows.
    public static let dataSchemaBlobPrefix = "table-schema sha256:"

    /// The `dataSchema` text naming the schema blob `hash`: `table-schema sha256:<hex>`.
    public static func dataSchema(naming hash: SHA256Digest) -> String { Self.dataSchemaBlobPrefix + hash.hexString }

    /// The schema blob `dataSchema` names, or `nil` when it is free text.
    public static func dataSchemaBlob(in dataSchema: String) -> SHA256Digest? {
        guard dataSchema.hasPrefix(Self.dataSchemaBlobPrefix) else { return nil }
        return try? SHA256Digest(hexString: String(dataSchema.dropFirst(Self.dataSchemaBlobPrefix.count)))
    }

    /// The schema blob ``dataSchema`` names, or `nil` when it is free text.
    public var dataSchemaBlob: SHA256Digest? { Self.dataSchemaBlob(in: self.dataSchema) }
}
