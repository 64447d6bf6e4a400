// DevnetDataError: what can go wrong when the devnet loads and partitions its data.

/// Errors thrown while loading the devnet's data sets, partitioning them among participants and measuring
/// baselines.
///
/// Every case carries the context needed to act on it without a debugger. Parse errors of the bundled CSV files
/// are ``Learning/LearningError`` values and pass through unchanged (they already name the file and line).
public enum DevnetDataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Who a partition gives samples to.
    public enum Role: String, Sendable, Equatable {
        /// A data owner, who trains on its shard.
        case owner
        /// An evaluator, who scores updates on its validation set.
        case evaluator
    }

    /// A data file that the Devnet resource bundle should hold is missing.
    case missingResource(file: String, bundlePath: String)
    /// An argument outside its valid range.
    case invalidArgument(name: String, value: String, reason: String)
    /// The data is too small for this many participants: the smallest of them would get fewer than `minimum`
    /// samples.
    case tooFewSamples(role: Role, participants: Int, poolSize: Int, smallest: Int, minimum: Int)
    /// A flat parameter vector whose length differs from the model's parameter count.
    case parameterCountMismatch(expected: Int, actual: Int)

    public var description: String {
        switch self {
        case .missingResource(let file, let bundlePath):
            "data file '\(file)' is missing from the resource bundle at \(bundlePath)"
        case .invalidArgument(let name, let value, let reason):
            "\(name) = \(value): \(reason)"
        case .tooFewSamples(let role, let participants, let poolSize, let smallest, let minimum):
            "\(participants) \(role.rawValue)s would share \(poolSize) samples and the smallest would get "
                + "\(smallest), below the minimum of \(minimum); use fewer \(role.rawValue)s"
        case .parameterCountMismatch(let expected, let actual):
            "the model has \(expected) parameters but the flat vector has \(actual)"
        }
    }
}
