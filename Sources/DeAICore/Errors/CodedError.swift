// DeAICore: the shape shared by the error structs of the I/O layers.

/// An error of an I/O layer (storage, node, network): a stable code, a sentence for a person, the underlying cause,
/// and where it was raised.
///
/// Each layer declares its own struct (`StorageError`, `NodeError`, …) with its own `Code` enum and gets the
/// descriptions and equality from here. Two errors are equal when their codes are: tests compare kinds, not messages.
public protocol CodedError: Error, CustomStringConvertible, Equatable {
    /// The kinds of failure of the layer.
    associatedtype Code: RawRepresentable, Hashable, Sendable where Code.RawValue == String

    /// What kind of failure.
    var code: Code { get }
    /// A sentence for a person.
    var message: String { get }
    /// The underlying error, if any.
    var cause: (any Error & Sendable)? { get }
    /// Where the error was raised (`#fileID:#line`).
    var location: String { get }
}

extension CodedError {
    /// The message, followed by the cause when there is one.
    public var description: String {
        guard let cause = self.cause else { return self.message }
        return "\(self.message): \(cause)"
    }

    /// The code, location, message and chain of causes, for logs.
    public var detailedDescription: String {
        var text = "\(self.code.rawValue) at \(self.location): \(self.message)"
        if let cause = self.cause { text += "\n  caused by: \(String(reflecting: cause))" }
        return text
    }

    /// Errors are equal when their codes are.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
}
