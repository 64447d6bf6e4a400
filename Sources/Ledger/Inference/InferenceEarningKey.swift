// Where the chain keeps what one model version earned one contributor from inference.

public import DeAICore

/// The key of one contributor's inference earnings from one model version: what claims on channels serving
/// that version or its descendants paid the contributor for its part in that version.
public struct InferenceEarningKey: Sendable, Hashable, Comparable {
    /// The task.
    public var taskID: UInt64
    /// The model version whose training the contributor took part in.
    public var version: UInt32
    /// The contributor.
    public var contributor: Address

    /// A key with every field given.
    public init(taskID: UInt64, version: UInt32, contributor: Address) {
        self.taskID = taskID
        self.version = version
        self.contributor = contributor
    }

    public static func < (left: Self, right: Self) -> Bool {
        (left.taskID, left.version) != (right.taskID, right.version)
            ? (left.taskID, left.version) < (right.taskID, right.version)
            : left.contributor.bytes.lexicographicallyPrecedes(right.contributor.bytes)
    }
}
