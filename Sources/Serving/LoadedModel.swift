// A model version a server answers with, loaded from the chain and its blobs.

public import DeAICore
public import Ledger

/// A model loaded for serving: a version from the chain (where it comes from, and its ``Ledger/ServedModel``), or
/// a local model file, which has no version on chain (task and version 0) and is named by its file.
public struct LoadedModel: Sendable {
    /// The task.
    public var taskID: UInt64
    /// The version.
    public var version: UInt32
    /// The weights' blob hash.
    public var model: SHA256Digest
    /// The model, ready to answer.
    public var served: ServedModel
    /// A local file's name; `nil` for a version from the chain.
    public var name: String?

    /// Its identifier in request paths: `TASK.VERSION`, or a local file's name.
    public var id: String { self.name ?? Self.id(taskID: self.taskID, version: self.version) }

    /// The identifier of version `version` of task `taskID`.
    public static func id(taskID: UInt64, version: UInt32) -> String { "\(taskID).\(version)" }

    /// The task and version an identifier names, or `nil` when it is not `TASK.VERSION`.
    public static func parse(_ id: some StringProtocol) -> (taskID: UInt64, version: UInt32)? {
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let task = UInt64(parts[0]), let version = UInt32(parts[1]) else { return nil }
        return (task, version)
    }

    /// A loaded model with every field given.
    public init(taskID: UInt64, version: UInt32, model: SHA256Digest, served: ServedModel, name: String? = nil) {
        self.taskID = taskID
        self.version = version
        self.model = model
        self.served = served
        self.name = name
    }
}
