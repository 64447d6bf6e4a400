// The errors of an inference server outside a request.

/// Why an inference server cannot start or keep its records.
public enum ServingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A file of held vouchers or signed amounts exists and does not decode.
    case corruptVoucherFile(path: String, reason: String)
    /// A file of vouchers or signed amounts cannot be written.
    case cannotSave(path: String, reason: String)
    /// A model asked for cannot be served.
    case cannotLoadModel(id: String, reason: String)

    public var description: String {
        switch self {
        case .corruptVoucherFile(let path, let reason):
            "\(path) does not decode (\(reason)); move it away to start without it"
        case .cannotSave(let path, let reason): "cannot write \(path): \(reason)"
        case .cannotLoadModel(let id, let reason): "cannot serve model \(id): \(reason)"
        }
    }
}
