// Why a light client refused what a node served.

public import Ledger

/// Why a ``LightClient`` did not accept a header: the node served something the trusted validators did not sign,
/// hid a validator-set change, or could not be read.
public enum LightClientError: Error, Sendable, CustomStringConvertible {
    /// The header of `height` is not signed by more than two thirds of the trusted validators' power.
    case notSigned(height: Height, reason: String)
    /// The validator set the node served for `height` is not the one the trusted headers name.
    case validatorSetMismatch(height: Height)
    /// The header of `height` names a validator set the client was not told about: the node hid a change.
    case hiddenValidatorSetChange(height: Height)
    /// The node served a block of another chain or height than asked.
    case wrongBlock(height: Height, reason: String)
    /// The node could not be read.
    case unavailable(NodeClientError)

    public var description: String {
        switch self {
        case .notSigned(let height, let reason):
            "block \(height) is NOT signed by the trusted validators: \(reason)"
        case .validatorSetMismatch(let height):
            "the node served a validator set for block \(height) that is not the one the signed headers name"
        case .hiddenValidatorSetChange(let height):
            "block \(height) is signed by a validator set the node did not disclose: it hid a validator-set change"
        case .wrongBlock(let height, let reason):
            "the node served a wrong block for height \(height): \(reason)"
        case .unavailable(let error):
            "the node could not be read: \(error)"
        }
    }
}
