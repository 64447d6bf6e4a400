// The error the CLI prints as one line.

/// An error for a person at a terminal: ArgumentParser prints it as `Error: <message>` on stderr and exits 1.
struct CLIError: Error, CustomStringConvertible {
    /// The one-line message.
    var description: String

    /// An error with `message`.
    init(_ message: String) {
        self.description = message
    }
}
