// Why a participant could not do its part.

public import DeAICore

/// Why a trainer or an evaluator could not do its part in a round.
public enum ParticipantError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The task's JSON documents do not decode.
    case invalidTaskSettings(taskID: UInt64, reason: String)
    /// A model or update blob does not decode or does not fit the model.
    case invalidBlob(SHA256Digest, reason: String)
    /// The node answered something the participant cannot use.
    case unexpectedResponse(reason: String)
    /// A block included the participant's transaction and its payload failed.
    case transactionFailed(kind: String, height: UInt64, reason: String)
    /// The participant's data file does not fit the task's table schema.
    case dataDoesNotFitSchema(file: String, problems: [String])

    public var description: String {
        switch self {
        case .invalidTaskSettings(let taskID, let reason): "task \(taskID) has unusable settings: \(reason)"
        case .invalidBlob(let hash, let reason): "blob \(hash) is unusable: \(reason)"
        case .unexpectedResponse(let reason): "unexpected response from the node: \(reason)"
        case .transactionFailed(let kind, let height, let reason): "\(kind) failed in block \(height): \(reason)"
        case .dataDoesNotFitSchema(let file, let problems):
            "\(file) does not fit the task's data schema: " + problems.joined(separator: "; ")
        }
    }
}
